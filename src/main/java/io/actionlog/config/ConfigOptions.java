package io.actionlog.config;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of every command that touches a data directory. They read the configuration exactly as the server
 * does (file, then system properties, then the environment), and {@code --data-dir} wins over all of them: what
 * is typed on the command line is what the operator means now.
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "configuration file (default: conf/config.json when present)")
    private Path file;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "data directory; wins over data.dir from the file, system properties and the environment")
    private Path dataDir;

    /** The server's configuration. */
    public Config load() {
        return ConfigLoader.load(file, commandLine());
    }

    /** The same configuration, for a command that runs without a server (see {@link ConfigLoader#loadOffline}). */
    public Config loadOffline() {
        return ConfigLoader.loadOffline(file, commandLine());
    }

    private Map<String, String> commandLine() {
        return dataDir == null ? Map.of() : Map.of("data.dir", dataDir.toString());
    }

    /** Whether the data directory was chosen on this command line (rather than by configuration). */
    public boolean dataDirGiven() {
        return dataDir != null;
    }

    public boolean configGiven() {
        return file != null;
    }

    /** Where the settings came from, for the log at start: a file, or none (defaults, properties, environment). */
    public String sources() {
        Path read = file != null ? file : java.nio.file.Files.exists(ConfigLoader.DEFAULT_FILE)
                ? ConfigLoader.DEFAULT_FILE : null;
        return (read == null ? "no configuration file" : "configuration file " + read.toAbsolutePath().normalize())
                + ", then system properties and ACTIONLOG_* environment variables"
                + (dataDir != null ? ", then --data-dir" : "");
    }
}
