package io.actionlog.tools;

import io.actionlog.action.ActionRequests;
import io.actionlog.action.NewAction;
import io.actionlog.action.Redaction;
import io.actionlog.http.Json;
import io.actionlog.integrity.LeafBytes;
import io.actionlog.integrity.LeafHalves;
import io.actionlog.integrity.Merkle;
import io.actionlog.journal.Entry;
import io.actionlog.store.Entries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench leaves}: what the Merkle tree costs one generated action, on one thread, beside what parsing its
 * bulk line costs, in nanoseconds per action. The same steps the server takes, without its other threads:
 * <ul>
 * <li>{@code parse_ns}: a bulk worker reads the line into an action ({@link ActionRequests#load});
 * <li>{@code leaf_halves_ns}: the worker writes its leaf bytes but for the id ({@link LeafBytes#halves});
 * <li>{@code leaf_hash_from_halves_ns}: the writer adds the id and hashes the leaf;
 * <li>{@code leaf_whole_ns}: the writer writes and hashes a whole leaf, as for a single POST;
 * <li>{@code leaf_sha256_ns}: SHA-256 of the leaf bytes alone, the floor of any leaf;
 * <li>{@code node_hash_ns}: one interior node (the tree hashes one per leaf on average).
 * </ul>
 * Actions go through in batches of {@value #BATCH}, as the server's bulk batches do, so that what a batch makes is
 * let go as in the server rather than piling up for the collector; the parse and the halves are timed line by line
 * (two clock reads each, about 20 ns, are in their figures), the other steps batch by batch. Each figure is the
 * median of the rounds after the first, which warms up the compiler.
 */
final class LeafCosts {
    private static final int BATCH = 1000;
    private static final long START = 1_767_225_600_000_000L;
    private static final String[] FIGURES = {"parse_ns", "leaf_halves_ns", "leaf_hash_from_halves_ns",
        "leaf_whole_ns", "leaf_sha256_ns", "node_hash_ns"};

    private final byte[] data;
    private final int[] lineStarts;
    /** The server's default keys ({@code redact.keys}): the body of every line is looked through for them. */
    private final Redaction redaction = new Redaction(List.of("password", "token", "secret", "api_key",
            "authorization"));
    private final LeafBytes leaves = new LeafBytes();
    private final MessageDigest digest = Merkle.sha256();
    private final byte[] into = new byte[2 * Merkle.HASH_BYTES];
    private final byte[] pair = Merkle.newPair();
    private final NewAction[] actions = new NewAction[BATCH];
    private final LeafHalves[] halves = new LeafHalves[BATCH];
    private final byte[][] leafBytes = new byte[BATCH][];
    private long leafBytesSeen;

    private LeafCosts(byte[] data) {
        this.data = data;
        int lines = 0;
        int[] starts = new int[1024];
        for (int at = 0; at < data.length; ) {
            int end = lineEnd(data, at);
            if (end > at) {
                starts = lines + 1 >= starts.length ? Arrays.copyOf(starts, starts.length * 2) : starts;
                starts[lines++] = at;
            }
            at = end + 1;
        }
        this.lineStarts = Arrays.copyOf(starts, lines);
    }

    static void run(int count, int rounds, PrintStream out) throws IOException {
        Path file = Files.createTempFile("actionlog-leaves", ".ndjson");
        LeafCosts costs;
        try {
            GenerateCommand.writeNdjson(new SyntheticActions(5, count, START), file);
            costs = new LeafCosts(Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
        long[][] perRound = new long[FIGURES.length][rounds];
        for (int r = 0; r <= rounds; r++) {
            long[] totals = costs.round();
            for (int f = 0; r > 0 && f < FIGURES.length; f++) {
                perRound[f][r - 1] = totals[f];
            }
        }
        int actions = costs.lineStarts.length;
        out.println("leaf_actions=" + actions);
        out.println("leaf_rounds=" + rounds);
        out.printf(Locale.ROOT, "leaf_bytes_per_action=%.1f%n", costs.leafBytesSeen / (double) (actions * (rounds + 1L)));
        for (int f = 0; f < FIGURES.length; f++) {
            long[] sorted = perRound[f].clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "%s=%.1f%n", FIGURES[f], sorted[rounds / 2] / (double) actions);
        }
    }

    /** One pass over every line; the nanoseconds each step took, in the order of {@link #FIGURES}. */
    private long[] round() {
        long[] totals = new long[FIGURES.length];
        long sink = 0;
        for (int from = 0; from < lineStarts.length; from += BATCH) {
            int n = Math.min(BATCH, lineStarts.length - from);
            // Each line's halves right after its parse, as a bulk worker writes them, while its texts are hot.
            for (int i = 0; i < n; i++) {
                int at = lineStarts[from + i];
                long t0 = System.nanoTime();
                actions[i] = ActionRequests.load(Json.members(data, at, lineEnd(data, at) - at), "bench", START,
                        ip -> null, redaction);
                long t1 = System.nanoTime();
                halves[i] = leaves.halves(Entries.created(1, actions[i]));
                totals[0] += t1 - t0;
                totals[1] += System.nanoTime() - t1;
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                leaves.hash(halves[i], from + i + 1, digest, into, 0);
                sink += into[0];
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Entry.Created entry = Entries.created(from + i + 1, actions[i]);
                leaves.hash(entry, actions[i].data().uuid(), digest, into, 0);
                sink += into[0];
            }
            long t4 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                leafBytes[i] = leaves.of(Entries.created(from + i + 1, actions[i]), actions[i].data().uuid());
                leafBytesSeen += leafBytes[i].length;
            }
            // As the server hashes them: each leaf after its 0x00 in one array (made untimed), each node from a pair.
            for (int i = 0; i < n; i++) {
                byte[] withPrefix = new byte[leafBytes[i].length + 1];
                System.arraycopy(leafBytes[i], 0, withPrefix, 1, leafBytes[i].length);
                leafBytes[i] = withPrefix;
            }
            long t5 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Merkle.prefixedLeafHash(digest, leafBytes[i], leafBytes[i].length, into, 0);
                sink += into[0];
            }
            long t6 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                System.arraycopy(into, 0, pair, Merkle.LEFT, Merkle.HASH_BYTES);
                Merkle.nodeHash(digest, pair, pair, Merkle.RIGHT);
            }
            sink += pair[Merkle.RIGHT];
            long t7 = System.nanoTime();
            totals[2] += t3 - t2;
            totals[3] += t4 - t3;
            totals[4] += t6 - t5;
            totals[5] += t7 - t6;
        }
        if (sink == Long.MIN_VALUE) {
            throw new AssertionError("keeps the hashes from being optimized away");
        }
        return totals;
    }

    private static int lineEnd(byte[] data, int at) {
        int end = at;
        while (end < data.length && data[end] != '\n') {
            end++;
        }
        return end;
    }
}
