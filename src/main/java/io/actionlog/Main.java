package io.actionlog;

import io.actionlog.auth.CredentialCommand;
import io.actionlog.config.Config;
import io.actionlog.config.ConfigException;
import io.actionlog.config.ConfigLoader;
import io.actionlog.server.Server;
import io.actionlog.tools.GenerateCommand;
import io.actionlog.tools.VerifyCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar actionlog.jar [serve] [--config FILE]} runs the server;
 * {@code java -jar actionlog.jar credential add|list|remove|rotate ... [--config FILE]} manages credentials;
 * {@code java -jar actionlog.jar generate --count N ...} writes synthetic actions for load tests;
 * {@code java -jar actionlog.jar verify} replays the journal of a stopped server and prints its counts.
 * Exit codes: 0 done, 1 failed, 2 bad command line or configuration.
 */
public final class Main {
    static {
        // Before any Chronicle class loads: it would otherwise try to send usage data and write into $HOME.
        System.setProperty("chronicle.analytics.disable", "true");
        // Keep mapped chunks of the journal mapped (reads would otherwise map and unmap them), and leave syncing
        // to the journal's own durability mode.
        System.setProperty("mappedFile.retain", "true");
        System.setProperty("mappedFile.defaultSyncMode", "NONE");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new ArrayList<>(List.of(args))));
    }

    static int run(List<String> args) {
        Path configFile;
        Config config;
        try {
            configFile = takeConfigOption(args);
            config = ConfigLoader.load(configFile);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("actionlog: " + e.getMessage());
            return 2;
        }
        String command = args.isEmpty() ? "serve" : args.remove(0);
        switch (command) {
            case "serve":
                return serve(config);
            case "credential":
                return CredentialCommand.run(args, config.dataDir(), config.adminKey(), System.out, System.err);
            case "verify":
                return VerifyCommand.run(config.dataDir(), System.out, System.err);
            case "generate":
                return GenerateCommand.run(args, config.dataDir(), System.out, System.err);
            default:
                System.err.println("actionlog: unknown command '" + command
                        + "'; expected serve, credential, generate or verify");
                return 2;
        }
    }

    private static int serve(Config config) {
        try {
            Server server = Server.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "actionlog-shutdown"));
            Thread.currentThread().join();
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } catch (Exception e) {
            System.err.println("actionlog: cannot start: " + (e.getMessage() != null ? e.getMessage() : e));
            return 1;
        }
    }

    private static Path takeConfigOption(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--config")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--config needs a file");
                }
                args.remove(i);
                return Path.of(args.remove(i));
            }
            if (a.startsWith("--config=")) {
                args.remove(i);
                return Path.of(a.substring("--config=".length()));
            }
        }
        return null;
    }
}
