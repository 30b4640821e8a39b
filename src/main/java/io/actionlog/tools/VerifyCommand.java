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
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import io.actionlog.server.DataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
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
 * {@code actionlog verify [--data-dir DIR] [--config FILE] [--checkpoint FILE]... [--key KEY]...}: replays the journal of a stopped
 * server, offline, and prints what it holds: entries by kind, actions, and actions per state, one
 * {@code key value} per line; then checks its tamper evidence ({@link JournalAudit}): every leaf and the whole
 * Merkle tree recomputed and compared with the stored tree, every stored checkpoint and every one given with
 * {@code --checkpoint} (kept by an auditor) signed by the key (or, for a kept one, a former key given with
 * {@code --key}) and a prefix of the tree. It takes the data
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
    @Option(names = "--key", paramLabel = "KEY",
            description = "a verifier key (its text, or a file holding it) that checkpoints given with --checkpoint "
                    + "may be signed with besides the directory's: one the log was signed with before it changed keys "
                    + "(repeatable)")
    private List<String> formerKeys = new ArrayList<>();
    /** Damage found beside the audit of the tree: in the checkpoint log, in the stored tree file. */
    private final List<String> found = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        VerifyProgress progress = new VerifyProgress(spec.commandLine().getErr(), System::nanoTime);
        Config config = options.loadOffline();
        Path dataDir = config.dataDir();
        DataDir.requireEnterable(dataDir);
        if (!Files.isDirectory(dataDir.resolve("journal"))) {
            throw new IllegalStateException("no journal in " + dataDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        // A newer format is refused as a server refuses it: this build would misread its entries.
        DataFormat.check(dataDir);
        try (DataDir claimed = DataDir.claimToRead(dataDir);
             ChronicleJournal journal = ChronicleJournal.openReadOnly(dataDir.resolve("journal"))) {
            // Kinds: created, state changes, log appends, carried forward, expired; a state is stored as code + 1,
            // 0 for an id no kept entry creates and EXPIRED_MARK once retention expired it.
            long[] kinds = new long[5];
            byte[][] states = {new byte[1024]};
            long[] actions = {0};
            // The highest id a new action took, and whether an id out of turn was reported (the first one only).
            long[] created = {0};
            boolean[] outOfTurn = {false};
            boolean fromStart = journal.first() == 0;
            Journal.BytesConsumer count = (position, entry) -> {
                switch (entry.kind()) {
                    case CREATED -> {
                        CreatedBytes c = entry.created();
                        kinds[c.carried() ? 3 : 0]++;
                        // As the server's replay requires: each new action takes the next id (after a drop, the
                        // journal may start past the first); a server start refuses anything else.
                        boolean next = fromStart ? c.id() == created[0] + 1 : c.id() > created[0];
                        if (!c.carried() && !next && !outOfTurn[0]) {
                            outOfTurn[0] = true;
                            found.add(outOfTurn(journal, position, c.id(), created[0] + 1));
                        }
                        if (!c.carried()) {
                            created[0] = Math.max(created[0], c.id());
                        }
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
            out.println("signed_size " + audit.signedSize());
            journal.notes().forEach(n -> spec.commandLine().getErr().println("integrity: note: " + n));
            audit.notes().forEach(n -> spec.commandLine().getErr().println("integrity: note: " + n));
            found.addAll(audit.problems());
            found.addAll(journal.fileProblems());
            found.forEach(p -> spec.commandLine().getErr().println("integrity: " + p));
            out.println("integrity " + (found.isEmpty() ? "ok" : "FAILED"));
            return found.isEmpty() ? 0 : 1;
        }
    }

    private JournalAudit.Result audit(Config config, Journal journal, Journal.BytesConsumer count,
                                      VerifyProgress progress) throws IOException {
        List<JournalAudit.Claim> claims = new ArrayList<>();
        VerifierKey key = Files.exists(config.keyFile()) ? verifier(config.keyFile()) : null;
        Path log = Integrity.checkpointFile(config.dataDir());
        if (Files.exists(log)) {
            try (CheckpointLog stored = CheckpointLog.openReadOnly(log, config.integrity().origin())) {
                if (stored.damage() != null) {
                    found.add(stored.damage());
                }
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
                found.addAll(stored.orderProblems());
            }
        }
        String origin = config.integrity().origin();
        List<VerifierKey> keptKeys = new ArrayList<>();
        if (key != null) {
            keptKeys.add(key);
        }
        for (String text : formerKeys) {
            keptKeys.add(formerKey(text, origin));
        }
        for (Path file : kept) {
            Checkpoint c = keptCheckpoint(file);
            if (c.origin().equals(origin)) {
                claims.add(JournalAudit.Claim.of(file.toString(), c, keptKeys));
            } else {
                found.add("checkpoint file " + file + " is a checkpoint of origin '" + c.origin() + "', not of this "
                        + "log's '" + origin + "' (integrity.origin)");
            }
        }
        progress.total(journal.size());
        JournalAudit audit = new JournalAudit(journal, Integrity.treeFile(config.dataDir()), progress);
        try {
            return audit.run(claims, count);
        } catch (UncheckedIOException e) {
            throw e; // the tree's or the log's own words, which name their file
        } catch (RuntimeException | InternalError e) {
            // Chronicle's own words for a damaged file ("field indexing required", a class alias, a SIGBUS on a file
            // cut short) say nothing alone.
            throw new IllegalStateException("the journal in " + config.dataDir().resolve("journal") + " could not be "
                    + "read to its end (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + "): a cycle file is damaged; nothing was changed", e);
        }
    }

    /** The most a kept checkpoint file may hold: a note is a few hundred bytes. */
    private static final int MAX_CHECKPOINT_BYTES = 64 * 1024;

    /** A checkpoint an auditor kept, read whole only when it is small enough to be one; a failure names the file. */
    static Checkpoint keptCheckpoint(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint file " + file + ": " + (Files.exists(file)
                    ? "not a regular file" : "no such file"));
        }
        if (Files.size(file) > MAX_CHECKPOINT_BYTES) {
            throw new IllegalArgumentException("checkpoint file " + file + ": " + Files.size(file) + " bytes, more "
                    + "than a checkpoint (at most " + MAX_CHECKPOINT_BYTES + ")");
        }
        try {
            return Checkpoint.parse(StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("checkpoint file " + file + ": not UTF-8 text");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint file " + file + ": " + e.getMessage());
        }
    }

    /**
     * A {@code --key}: the verifier key's text as {@code integrity key} prints it, or a file holding that line. Its
     * name must be the log's origin, the only name a checkpoint of this log is signed under.
     */
    static VerifierKey formerKey(String given, String origin) throws IOException {
        String text = given.strip();
        Path file = Path.of(given);
        if (Files.isRegularFile(file)) {
            if (Files.size(file) > MAX_CHECKPOINT_BYTES) {
                throw new IllegalArgumentException("--key " + given + ": " + Files.size(file) + " bytes, more than a "
                        + "verifier key");
            }
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.startsWith("PRIVATE+KEY+")) {
                throw new IllegalArgumentException("--key " + given + ": a signing key file, which holds the private "
                        + "key: give its verifier key, as integrity key prints it");
            }
        }
        VerifierKey k;
        try {
            k = VerifierKey.parse(text);
        } catch (IllegalArgumentException e) {
            if (Files.notExists(file) && text.chars().filter(c -> c == '+').count() < 2) {
                // No key's text (it has two '+' at least): a path mistyped, or a file moved.
                throw new IllegalArgumentException("--key " + given + ": no such file, and not a verifier key's text "
                        + "(name+hex id+base64 key)");
            }
            // What a file holds is not repeated: it may be a secret given by mistake (an admin key, say).
            throw new IllegalArgumentException("--key " + given + ": " + e.getMessage());
        }
        if (!k.name().equals(origin)) {
            throw new IllegalArgumentException("--key " + given + ": a key named '" + k.name() + "' signs no "
                    + "checkpoint of this log, whose origin is '" + origin + "' (integrity.origin)");
        }
        return k;
    }

    private static VerifierKey verifier(Path keyFile) {
        try {
            return SigningKey.load(keyFile).verifier();
        } catch (IllegalStateException e) { // what the key file holds is wrong, and its message names the file
            throw new IllegalArgumentException("signing key does not load: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("signing key " + keyFile + " does not load: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    private static final byte EXPIRED_MARK = -1;
    /** Checkpoints of the log read before their signatures are checked, together. */
    private static final int SIGNED_TOGETHER = 1024;

    /**
     * The log's checkpoints as claims, their signatures checked on every core: a check takes about 0.1 ms, and a
     * server that writes all day signs a checkpoint every 10 s.
     */
    private static List<JournalAudit.Claim> claims(List<Checkpoint> read, VerifierKey key) {
        return read.parallelStream().map(c -> JournalAudit.Claim.of("checkpoint log", c, key)).toList();
    }

    /** Says where a new action took an id out of turn, and what that points to. */
    static String outOfTurn(Journal journal, long position, long id, long next) {
        String place = journal.placeOf(position);
        String where = "position " + position + (place == null ? "" : " (" + place + ")") + " creates id " + id
                + " where the next id is " + next;
        if (id < next) {
            return where + ": id " + id + " was given before (entries added or copied in)";
        }
        String missing = where + ": the actions of ids " + next + " to " + (id - 1) + " are missing (entries before "
                + "it removed), or it was added or copied in";
        String before = position > journal.first() ? journal.placeOf(position - 1) : null;
        if (place == null || before == null || !place.startsWith("entry 0 ")) {
            return missing;
        }
        // Days without writes have no file, so a gap between two files' days is no damage by itself.
        return missing + "; it is the first entry of its file, and position " + (position - 1) + " is "
                + before + ": a day's file between them deleted or renamed would be such a gap";
    }

    private static byte[] put(byte[] states, long id, byte state) {
        byte[] s = id < states.length ? states : Arrays.copyOf(states, (int) Math.max(id + 1, states.length * 2L));
        s[(int) id] = state;
        return s;
    }
}
