package io.actionlog.tools;

import io.actionlog.action.State;
import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.integrity.Checkpoint;
import io.actionlog.integrity.CheckpointLog;
import io.actionlog.integrity.Integrity;
import io.actionlog.integrity.JournalAudit;
import io.actionlog.integrity.SigningKey;
import io.actionlog.integrity.VerifierKey;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code actionlog verify [--data-dir DIR] [--config FILE] [--checkpoint FILE]...}: replays the journal of a stopped
 * server, offline, and prints what it holds: entries by kind, actions, and actions per state, one
 * {@code key value} per line; then checks its tamper evidence ({@link JournalAudit}): every leaf and the whole
 * Merkle tree recomputed and compared with the stored tree, every stored checkpoint and every one given with
 * {@code --checkpoint} (kept by an auditor) signed by the key and a prefix of the tree. It takes the data
 * directory's lock, so it refuses to run beside a server, and it runs the journal's recovery as a start would.
 * Exit 0 when the journal replays and every check passes, 1 otherwise (no journal there included), each problem
 * on its own line on stderr, the first differing position first.
 */
@Command(name = "verify", description = "Replay a stopped server's journal, print what it holds, and check its "
        + "Merkle tree and signed checkpoints.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "a signed checkpoint kept elsewhere, which the journal must still contain (repeatable)")
    private List<Path> kept = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        VerifyProgress progress = new VerifyProgress(spec.commandLine().getErr(), System::nanoTime);
        Config config = options.loadOffline();
        Path dataDir = config.dataDir();
        if (!Files.isDirectory(dataDir.resolve("journal"))) {
            throw new IllegalStateException("no journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (DataDir claimed = DataDir.claim(dataDir);
             Journal journal = ChronicleJournal.open(dataDir.resolve("journal"), Durability.PROCESS)) {
            // Kinds: created, state changes, log appends, carried forward, expired; a state is stored as code + 1,
            // 0 for an id no kept entry creates and EXPIRED_MARK once retention expired it.
            long[] kinds = new long[5];
            byte[][] states = {new byte[1024]};
            long[] actions = {0};
            Journal.BytesConsumer count = (position, entry) -> {
                switch (entry.kind()) {
                    case CREATED -> {
                        CreatedBytes c = entry.created();
                        kinds[c.carried() ? 3 : 0]++;
                        actions[0] = Math.max(actions[0], c.id());
                        states[0] = put(states[0], c.id(), (byte) (c.state() + 1));
                    }
                    case STATE_CHANGED -> {
                        kinds[1]++;
                        states[0] = put(states[0], entry.id(), (byte) (entry.state() + 1));
                    }
                    case EXPIRED -> {
                        long[] ids = ((Entry.Expired) entry.retention()).ids();
                        for (int i = 0; i < ids.length; i += 2) {
                            for (long id = ids[i]; id <= ids[i + 1]; id++) {
                                states[0] = put(states[0], id, EXPIRED_MARK);
                                kinds[4]++;
                            }
                            actions[0] = Math.max(actions[0], ids[i + 1]);
                        }
                    }
                    case DROPPED -> actions[0] = Math.max(actions[0], ((Entry.Dropped) entry.retention()).highestId());
                    case LOG_APPENDED -> kinds[2]++;
                }
            };
            JournalAudit.Result audit = audit(config, journal, count, progress);
            long entries = audit.entries();
            progress.done(entries);
            // Counted by code first: a count per action through a map boxed a number per action.
            long[] byCode = new long[256];
            byte[] codes = states[0];
            for (int id = 1; id <= Math.min(actions[0], codes.length - 1L); id++) {
                byCode[codes[id] & 0xFF]++;
            }
            Map<State, Long> perState = new EnumMap<>(State.class);
            for (int code = 1; code < byCode.length; code++) {
                if (byCode[code] > 0 && code != (EXPIRED_MARK & 0xFF)) {
                    perState.merge(State.ofCode(code - 1), byCode[code], Long::sum);
                }
            }
            out.println("entries " + entries);
            out.println("created " + kinds[0]);
            out.println("state_changes " + kinds[1]);
            out.println("log_appends " + kinds[2]);
            out.println("carried_forward " + kinds[3]);
            out.println("expired " + kinds[4]);
            out.println("journal_start " + journal.first());
            out.println("actions " + actions[0]);
            perState.forEach((state, n) -> out.println("state." + state.label.replace(' ', '_') + " " + n));
            out.println("tree_size " + audit.entries());
            out.println("tree_root " + Base64.getEncoder().encodeToString(audit.root()));
            audit.problems().forEach(p -> spec.commandLine().getErr().println("integrity: " + p));
            out.println("integrity " + (audit.ok() ? "ok" : "FAILED"));
            return audit.ok() ? 0 : 1;
        }
    }

    private JournalAudit.Result audit(Config config, Journal journal, Journal.BytesConsumer count,
                                      VerifyProgress progress) throws IOException {
        List<JournalAudit.Claim> claims = new ArrayList<>();
        VerifierKey key = Files.exists(config.keyFile()) ? SigningKey.load(config.keyFile()).verifier() : null;
        Path log = Integrity.checkpointFile(config.dataDir());
        if (Files.exists(log)) {
            try (CheckpointLog stored = CheckpointLog.open(log, config.integrity().origin())) {
                List<Checkpoint> read = new ArrayList<>(SIGNED_TOGETHER);
                stored.forEach(c -> {
                    read.add(c);
                    if (read.size() == SIGNED_TOGETHER) {
                        claims.addAll(claims(read, key));
                        read.clear();
                        if (claims.size() % (64 * SIGNED_TOGETHER) == 0) {
                            progress.signatures(claims.size());
                        }
                    }
                });
                claims.addAll(claims(read, key));
            }
        }
        for (Path file : kept) {
            claims.add(JournalAudit.Claim.of(file.toString(), Checkpoint.parse(Files.readString(file)), key));
        }
        progress.total(journal.size());
        JournalAudit audit = new JournalAudit(journal, Integrity.treeFile(config.dataDir()), key, progress);
        return audit.run(claims, count);
    }

    private static final byte EXPIRED_MARK = -1;
    /** Checkpoints of the log read before their signatures are checked, together. */
    private static final int SIGNED_TOGETHER = 1024;

    /**
     * The log's checkpoints as claims, their signatures checked on every core: JDK 17's Ed25519 takes nearly a
     * millisecond a signature, and a server that writes all day signs a checkpoint every 10 s.
     */
    private static List<JournalAudit.Claim> claims(List<Checkpoint> read, VerifierKey key) {
        return read.parallelStream().map(c -> JournalAudit.Claim.of("checkpoint log", c, key)).toList();
    }

    private static byte[] put(byte[] states, long id, byte state) {
        byte[] s = id < states.length ? states : Arrays.copyOf(states, (int) Math.max(id + 1, states.length * 2L));
        s[(int) id] = state;
        return s;
    }
}
