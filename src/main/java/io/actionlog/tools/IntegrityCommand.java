package io.actionlog.tools;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.integrity.Integrity;
import io.actionlog.integrity.SigningKey;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code actionlog integrity key}: the tamper evidence of a data directory, from the command line. */
@Command(name = "integrity", description = "Tamper evidence: the checkpoint signing key.",
        subcommands = IntegrityCommand.Key.class)
public final class IntegrityCommand {

    /**
     * Prints the verifier key that checks the server's checkpoints, in signed-note text form; creates the key pair
     * first when the data directory (or {@code integrity.key_file}) has none yet, as a start would.
     */
    @Command(name = "key", description = "Print the verifier key of the checkpoints (name+key id+public key).")
    static final class Key implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private ConfigOptions options;

        @Override
        public Integer call() throws IOException {
            Config config = options.loadOffline();
            SigningKey key = Integrity.signingKey(config);
            spec.commandLine().getOut().println(key.verifierKey());
            return 0;
        }
    }
}
