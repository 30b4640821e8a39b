package io.actionlog.tools;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.integrity.Integrity;
import io.actionlog.integrity.KeyChange;
import io.actionlog.integrity.SigningKey;
import io.actionlog.server.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code actionlog integrity key|new-key}: the tamper evidence of a data directory, from the command line. */
@Command(name = "integrity", description = "Tamper evidence: the checkpoint signing key.",
        subcommands = {IntegrityCommand.Key.class, IntegrityCommand.NewKey.class})
public final class IntegrityCommand {

    /**
     * Prints the verifier key that checks the server's checkpoints, in signed-note text form. A key that does not
     * exist is refused unless {@code --create} asks for one (as a first start makes it): a mistyped directory would
     * otherwise get a key of its own, printed as if it were the server's, for auditors to trust.
     */
    @Command(name = "key", description = "Print the verifier key of the checkpoints (name+key id+public key).")
    static final class Key implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private ConfigOptions options;

        @Option(names = "--create", description = "create the key pair when there is none yet, as a first start would")
        private boolean create;

        @Override
        public Integer call() throws IOException {
            Config config = options.loadOffline();
            // notExists, not !exists: a key this user may not look at is there, and reading it says so.
            boolean exists = !Files.notExists(config.keyFile());
            if (!exists && !create) {
                throw new IllegalStateException("no signing key at " + config.keyFile() + ": give --data-dir or "
                        + "--config (or integrity.key_file) of the server, start the server there once, or make one "
                        + "with integrity key --create");
            }
            SigningKey key = Integrity.signingKey(config);
            if (!exists) {
                spec.commandLine().getErr().println("created signing key " + config.keyFile());
            }
            spec.commandLine().getOut().println(key.verifierKey());
            return 0;
        }
    }

    /**
     * Replaces the signing key of a stopped server ({@link KeyChange}); prints the new verifier key, for auditors to
     * take, alone on the last line of its output.
     */
    @Command(name = "new-key", description = "Replace the checkpoint signing key of a stopped server: the former "
            + "checkpoints and verifier key move to integrity/former-<key id>/, and the new log starts with the latest "
            + "checkpoint signed by both keys.")
    static final class NewKey implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private ConfigOptions options;

        @Override
        public Integer call() throws IOException {
            Config config = options.loadOffline();
            DataDir.requireEnterable(config.dataDir());
            if (!Files.isDirectory(config.dataDir())) {
                throw new IllegalStateException("no data directory " + config.dataDir());
            }
            KeyChange.Result changed;
            try (DataDir claimed = DataDir.claim(config.dataDir())) {
                changed = KeyChange.run(config);
            }
            var err = spec.commandLine().getErr();
            err.println("the former checkpoints and verifier key are in " + changed.former());
            if (changed.handover() != null) {
                err.println("the new log starts with the checkpoint of size " + changed.handover().size()
                        + " signed by both keys (also in " + changed.former().resolve("handover.checkpoint") + ")");
            }
            spec.commandLine().getOut().println(changed.verifierKey());
            return 0;
        }
    }
}
