package io.actionlog.integrity;

import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * What {@code verify} checks: it recomputes every leaf from the journal and the whole tree, and compares the tree,
 * hash by hash, with the stored {@link TreeFile} (read in its own order, which is the order the hashes complete);
 * it checks each checkpoint's signature and that its root is the recomputed tree's root at its size, which is the
 * prefix property: a checkpoint the journal no longer contains (a changed, removed, reordered or truncated entry,
 * a rolled-back directory) fails. The calling thread reads the journal into {@link LeafBatch}es of 2,048 entries,
 * each a complete subtree, which one thread per core hashes and compares with the stored hashes of that subtree;
 * the calling thread then folds each batch's subtree into the tree in order, and names the first difference found
 * in journal order. Heap: two longs per action (their uuids), the batches in flight and the tree's right edge.
 */
public final class JournalAudit {
    /** A checkpoint to check and where it came from (the log, or a file an auditor kept). */
    public record Claim(String source, Checkpoint checkpoint) {
    }

    /** The outcome: the tree's size and root, and every problem found, first ones first. */
    public record Result(long entries, byte[] root, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final Journal journal;
    private final Path treeFile;
    private final VerifierKey key;
    private final LongConsumer progress;
    private final MessageDigest digest = Merkle.sha256();
    private final List<String> problems = new ArrayList<>();
    private final byte[][] frontier = new byte[64][];
    private final Deque<LeafBatch> free = new ArrayDeque<>();
    private long[] uuids = new long[2048];
    private long storedNodes;
    private long leaves;
    private boolean leafDiffers;
    private boolean nodeDiffers;
    private long[] sizes;
    private byte[][] roots;
    private int nextRoot;

    /** {@code key}: null when the data directory has none; {@code progress} is told of entries read now and then. */
    public JournalAudit(Journal journal, Path treeFile, VerifierKey key, LongConsumer progress) {
        this.journal = journal;
        this.treeFile = treeFile;
        this.key = key;
        this.progress = progress;
    }

    /** Runs the audit; {@code also} is fed every entry too, so that a caller's own count needs no second replay. */
    public Result run(List<Claim> claims, Journal.EntryConsumer also) throws IOException {
        List<Claim> bySize = new ArrayList<>(claims);
        bySize.sort(Comparator.comparingLong(c -> c.checkpoint().size()));
        sizes = bySize.stream().mapToLong(c -> c.checkpoint().size()).toArray();
        roots = new byte[sizes.length][];
        long storedLeaves = Files.exists(treeFile) ? TreeFile.leavesIn(Files.size(treeFile) / Merkle.HASH_BYTES) : 0;
        storedNodes = TreeFile.nodes(storedLeaves);
        while (nextRoot < sizes.length && sizes[nextRoot] == 0) {
            roots[nextRoot++] = digest.digest(new byte[0]);
        }
        ExecutorService hashers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "actionlog-verify-hash");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel stored = storedLeaves == 0 ? null : FileChannel.open(treeFile, StandardOpenOption.READ)) {
            replay(also, hashers, stored);
        } finally {
            hashers.shutdownNow();
        }
        if (storedLeaves > leaves) {
            problems.add("the journal holds " + leaves + " entries but the stored tree " + storedLeaves
                    + ": entries were removed from the journal");
        }
        checkClaims(bySize, roots);
        return new Result(leaves, leaves == 0 ? digest.digest(new byte[0]) : root(), problems);
    }

    /**
     * Reads the journal on this thread into batches that the hashers hash (leaf bytes and their hashes are most of
     * the work, and each batch's are independent of the others'), and folds the hashed batches in order, at most
     * two per hasher in flight.
     */
    private void replay(Journal.EntryConsumer also, ExecutorService hashers, FileChannel stored) {
        Deque<Future<LeafBatch>> pending = new ArrayDeque<>();
        long[] fed = {0};
        LeafBatch[] filling = {batch(0)};
        journal.replay(0, (position, entry) -> {
            also.accept(position, entry);
            filling[0].add(position, entry, uuidOf(entry));
            if (filling[0].full()) {
                LeafBatch full = filling[0];
                pending.add(hashers.submit(() -> full.hash(stored, storedNodes)));
                fed[0] += LeafBatch.LEAVES;
                if (pending.size() > THREADS * 2) {
                    fold(take(pending.poll()));
                }
                filling[0] = batch(fed[0]);
            }
        });
        LeafBatch last = filling[0];
        pending.add(hashers.submit(() -> last.hash(stored, storedNodes)));
        while (!pending.isEmpty()) {
            fold(take(pending.poll()));
        }
    }

    private LeafBatch batch(long firstLeaf) {
        LeafBatch b = free.isEmpty() ? new LeafBatch() : free.poll();
        b.clear(firstLeaf);
        return b;
    }

    private static LeafBatch take(Future<LeafBatch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the journal", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Adds a hashed batch to the tree: its problems, the checkpoints' roots within it, its subtree, progress. */
    private void fold(LeafBatch b) {
        if (!leafDiffers) {
            if (b.differingNodeSlot >= 0 && !nodeDiffers) {
                nodeDiffers = true;
                problems.add(nodeProblem(b.differingLevel, (b.start >>> b.differingLevel) + b.differingIndex));
            }
            if (b.differingLeafSlot >= 0) {
                leafDiffers = true;
                int i = b.differingLeaf;
                problems.add("position " + b.positions[i] + " (action " + b.uuids[i] + ", id " + b.entries[i].id()
                        + ", " + kind(b.entries[i]) + " entry) differs from the leaf the tree stored for it: the"
                        + " journal was changed there (an entry changed, removed, moved or inserted)");
            }
        }
        for (; nextRoot < sizes.length && sizes[nextRoot] <= leaves + b.size; nextRoot++) {
            roots[nextRoot] = rootWith(b, (int) (sizes[nextRoot] - leaves));
        }
        if (b.full()) {
            addSubtree(b);
        } else {
            for (int h = 0; h < LeafBatch.LEVELS; h++) {
                if ((b.size >>> h & 1) == 1) {
                    frontier[h] = b.node(h, (b.size >>> h) - 1);
                }
            }
        }
        leaves += b.size;
        if (b.size > 0 && leaves % (1 << 20) == 0) {
            progress.accept(leaves);
        }
        free.add(b);
    }

    /** Merges a full batch's subtree into the right edge, comparing each node it completes with the stored one. */
    private void addSubtree(LeafBatch b) {
        byte[] node = b.node(LeafBatch.LEVELS, 0);
        int level = LeafBatch.LEVELS;
        for (long i = leaves >>> level; (i & 1) == 1; i >>>= 1, level++) {
            node = Merkle.nodeHash(digest, frontier[level], node);
            if (b.storedAboveDiffers(level - LeafBatch.LEVELS, node) && !leafDiffers && !nodeDiffers) {
                nodeDiffers = true;
                problems.add(nodeProblem(level + 1, (leaves + LeafBatch.LEAVES - 1) >>> (level + 1)));
            }
        }
        frontier[level] = node;
    }

    private static String nodeProblem(int level, long index) {
        return "the stored subtree hash of level " + level + ", index " + index + " (leaves " + (index << level)
                + " to " + (((index + 1) << level) - 1) + ") differs from the journal's: the tree file was changed";
    }

    /** The root of the tree of the leaves so far and the first {@code n} (&gt; 0) of batch {@code b}. */
    private byte[] rootWith(LeafBatch b, int n) {
        byte[] r = b.prefixHash(digest, n);
        for (int h = LeafBatch.LEVELS; h < 64; h++) {
            if ((leaves >>> h & 1) == 1) {
                r = Merkle.nodeHash(digest, frontier[h], r);
            }
        }
        return r;
    }

    /** The root of the leaves so far, folded from the right edge. */
    private byte[] root() {
        byte[] r = null;
        for (int h = 0; h < 64; h++) {
            if ((leaves >>> h & 1) == 1) {
                r = r == null ? frontier[h] : Merkle.nodeHash(digest, frontier[h], r);
            }
        }
        return r;
    }

    private void checkClaims(List<Claim> claims, byte[][] roots) {
        long matched = 0;
        for (int i = 0; i < claims.size(); i++) {
            Checkpoint c = claims.get(i).checkpoint();
            String name = "checkpoint of size " + c.size() + " (" + claims.get(i).source() + ")";
            if (key == null) {
                problems.add(name + ": there is no signing key (integrity.key_file) to check it with");
            } else if (!c.signedBy(key)) {
                problems.add(name + ": its signature does not verify with key " + key.name() + ": it is forged");
            } else if (c.size() > leaves) {
                problems.add(name + ": covers more entries than the journal's " + leaves
                        + ": the journal was truncated or rolled back");
            } else if (!Arrays.equals(c.root(), roots[i])) {
                problems.add(name + ": its root " + Base64.getEncoder().encodeToString(c.root())
                        + " is not the journal's; the first differing position is at or after " + matched
                        + " and below " + c.size() + ": history was rewritten");
            } else {
                matched = Math.max(matched, c.size());
            }
        }
    }

    private UUID uuidOf(Entry entry) {
        int at = (int) entry.id() * 2;
        if (entry instanceof Entry.Created c) {
            if (at + 1 >= uuids.length) {
                uuids = Arrays.copyOf(uuids, Math.max(uuids.length * 2, at + 2));
            }
            UUID u = c.data().uuid();
            uuids[at] = u == null ? 0 : u.getMostSignificantBits();
            uuids[at + 1] = u == null ? 0 : u.getLeastSignificantBits();
            return u;
        }
        if (at + 1 >= uuids.length || (uuids[at] == 0 && uuids[at + 1] == 0)) {
            return null;
        }
        return new UUID(uuids[at], uuids[at + 1]);
    }

    private static String kind(Entry e) {
        return e instanceof Entry.Created ? "created" : e instanceof Entry.StateChanged ? "state" : "log";
    }
}
