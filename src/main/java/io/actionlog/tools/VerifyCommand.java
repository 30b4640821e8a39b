package io.actionlog.tools;

import io.actionlog.action.State;
import io.actionlog.config.ConfigOptions;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code actionlog verify [--data-dir DIR] [--config FILE]}: replays the journal of a stopped server, offline, and
 * prints what it holds: entries by kind, actions, and actions per state, one {@code key value} per line. It takes
 * the data directory's lock, so it refuses to run beside a server, and it runs the journal's recovery as a start
 * would. Exit 0 when the journal replays, 1 otherwise (no journal there included). Used after a crash to check the server's totals against the journal.
 */
@Command(name = "verify", description = "Replay a stopped server's journal and print what it holds.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() throws IOException {
        Path dataDir = options.load().dataDir();
        if (!Files.isDirectory(dataDir.resolve("journal"))) {
            throw new IllegalStateException("no journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataDir claimed = DataDir.claim(dataDir);
             Journal journal = ChronicleJournal.open(dataDir.resolve("journal"), Durability.PROCESS)) {
            long[] kinds = new long[3];
            byte[][] states = {new byte[1024]};
            long[] actions = {0};
            long entries = journal.replay(0, (position, entry) -> {
                if (entry instanceof Entry.Created c) {
                    kinds[0]++;
                    actions[0] = Math.max(actions[0], c.id());
                    states[0] = put(states[0], c.id(), c.state());
                } else if (entry instanceof Entry.StateChanged s) {
                    kinds[1]++;
                    states[0] = put(states[0], s.id(), s.state());
                } else {
                    kinds[2]++;
                }
            });
            Map<State, Long> perState = new EnumMap<>(State.class);
            for (long id = 1; id <= actions[0]; id++) {
                perState.merge(State.ofCode(states[0][(int) id]), 1L, Long::sum);
            }
            out.println("entries " + entries);
            out.println("created " + kinds[0]);
            out.println("state_changes " + kinds[1]);
            out.println("log_appends " + kinds[2]);
            out.println("actions " + actions[0]);
            perState.forEach((state, n) -> out.println("state." + state.label.replace(' ', '_') + " " + n));
            return 0;
        }
    }

    private static byte[] put(byte[] states, long id, byte state) {
        byte[] s = id < states.length ? states : Arrays.copyOf(states, (int) Math.max(id + 1, states.length * 2L));
        s[(int) id] = state;
        return s;
    }
}
