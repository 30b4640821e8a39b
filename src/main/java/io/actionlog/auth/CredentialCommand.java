package io.actionlog.auth;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.server.DataDir;
import io.actionlog.server.DataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code credential add|list|remove|rotate}, on the data directory the configuration names, whether a server runs
 * on it or not. A directory without a credential store is an error (exit 1), never quietly a new store with an
 * admin of its own, unless {@code add --create} asks for one. {@code add} and {@code rotate} print the new key
 * alone on the last line of stdout so scripts can take it with {@code tail -n 1}; nothing else ever prints a key.
 */
@Command(name = "credential", description = "Manage the credentials of a data directory.",
        synopsisSubcommandLabel = "(add | list | remove | rotate)")
public final class CredentialCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: add, list, remove or rotate");
    }

    @Command(name = "add", description = "Create a credential; its key is printed alone on the last line.")
    int add(@Parameters(paramLabel = "NAME", converter = Name.class) String name,
            @Option(names = "--role", paramLabel = "ROLE", defaultValue = "user", converter = RoleName.class,
                    description = "user, auditor, recorder or admin (default: ${DEFAULT-VALUE})") Role role,
            @Option(names = "--create", description = "create the data directory and its admin credential when "
                    + "there is none") boolean create,
            @Mixin ConfigOptions options) throws IOException {
        try (CredentialStore store = open(options, create)) {
            String key = store.add(name, role);
            out().println("created credential " + name + " (role " + role.label() + ")");
            out().println(key);
        }
        return 0;
    }

    @Command(name = "list", description = "Print every credential's name, role and creation time.")
    int list(@Mixin ConfigOptions options) throws IOException {
        try (CredentialStore store = open(options, false)) {
            printTable(store.list(), out());
        }
        return 0;
    }

    @Command(name = "rotate", description = "Give a credential a new key (printed alone on the last line), "
            + "optionally a new role; the old key stops working.")
    int rotate(@Parameters(paramLabel = "NAME", converter = Name.class) String name,
               @Option(names = "--role", paramLabel = "ROLE", converter = RoleName.class,
                       description = "also change the role") Role role,
               @Option(names = "--force", description = "even if no admin credential would be left") boolean force,
               @Mixin ConfigOptions options) throws IOException {
        try (CredentialStore store = open(options, false)) {
            String key = store.rotate(name, role, force);
            out().println("rotated the key of credential " + name + (role == null ? "" : " (role " + role.label() + ")"));
            out().println(key);
        }
        return 0;
    }

    @Command(name = "remove", description = "Delete a credential; its key stops working.")
    int remove(@Parameters(paramLabel = "NAME", converter = Name.class) String name,
               @Option(names = "--force", description = "even if no admin credential would be left") boolean force,
               @Mixin ConfigOptions options) throws IOException {
        try (CredentialStore store = open(options, false)) {
            store.remove(name, force);
            out().println("removed credential " + name);
        }
        return 0;
    }

    private CredentialStore open(ConfigOptions options, boolean create) throws IOException {
        Config config = options.loadOffline();
        boolean fresh = !Files.isDirectory(config.dataDir());
        DataDir.requireEnterable(config.dataDir());
        if (!create && !CredentialStore.existsIn(config.dataDir())) {
            throw new IllegalStateException("no credentials in " + config.dataDir() + " (" + CredentialFile.CREDENTIALS
                    + " is missing): give --data-dir or --config, start the server there once, or make a fresh one "
                    + "with credential add NAME --create");
        }
        DataFormat.check(config.dataDir());
        CredentialStore store = CredentialStore.open(config.dataDir(), config.adminKey());
        if (fresh) {
            spec.commandLine().getErr().println("created data directory " + config.dataDir());
        }
        store.bootstrapNote().ifPresent(spec.commandLine().getErr()::println);
        return store;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static void printTable(List<Credential> credentials, PrintWriter out) {
        int width = "NAME".length();
        for (Credential c : credentials) {
            width = Math.max(width, c.name().length());
        }
        String row = "%-" + width + "s  %-8s  %s%n";
        out.printf(row, "NAME", "ROLE", "CREATED");
        for (Credential c : credentials) {
            out.printf(row, c.name(), c.role().label(), c.created());
        }
    }

    static final class Name implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return Credential.checkName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RoleName implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
