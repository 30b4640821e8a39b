package io.actionlog.integrity;

import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * a rolled-back directory) fails. Leaves are hashed in batches on one thread per core while the journal is read and
 * the tree folded in order on the calling thread. Heap: two longs per action (their uuids), the batches in flight
 * and the tree's right edge.
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

    private final Journal journal;
    private final Path treeFile;
    private final VerifierKey key;
    private final LongConsumer progress;
    private static final int BATCH = 2048;
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private final MessageDigest digest = Merkle.sha256();
    private final List<String> problems = new ArrayList<>();
    private final byte[][] frontier = new byte[64][];
    private final byte[] storedHash = new byte[Merkle.HASH_BYTES];
    private long[] uuids = new long[2048];
    private InputStream stored;
    private long storedLeaves;
    private long leaves;
    private boolean leafDiffers;
    private boolean nodeDiffers;
    private long[] sizes;
    private byte[][] roots;
    private int nextRoot;
    /** Where the newest retention entry ({@link Entry.Dropped}) read says the journal starts. */
    private long droppedTo;

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
        storedLeaves = Files.exists(treeFile) ? TreeFile.leavesIn(Files.size(treeFile) / Merkle.HASH_BYTES) : 0;
        ExecutorService hashers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "actionlog-verify-hash");
            t.setDaemon(true);
            return t;
        });
        try (InputStream in = storedLeaves == 0 ? InputStream.nullInputStream()
                : new BufferedInputStream(Files.newInputStream(treeFile), 1 << 16)) {
            stored = in;
            takeRoots();
            if (!foldDropped(journal.first())) {
                return new Result(leaves, leaves == 0 ? digest.digest(new byte[0]) : root(), problems);
            }
            learnCarriedUuids();
            Deque<Future<Batch>> pending = new ArrayDeque<>();
            Batch[] filling = {new Batch()};
            journal.replay(0, (position, entry) -> {
                also.accept(position, entry);
                if (entry instanceof Entry.Dropped d) {
                    droppedTo = Math.max(droppedTo, d.to());
                }
                filling[0].add(position, entry, uuidOf(entry));
                if (filling[0].size == BATCH) {
                    Batch full = filling[0];
                    pending.add(hashers.submit(full::hash));
                    filling[0] = new Batch();
                    if (pending.size() > THREADS * 2) {
                        fold(take(pending.poll()));
                    }
                }
            });
            pending.add(hashers.submit(filling[0]::hash));
            while (!pending.isEmpty()) {
                fold(take(pending.poll()));
            }
        } finally {
            hashers.shutdownNow();
        }
        if (storedLeaves > leaves) {
            problems.add("the journal holds " + leaves + " entries but the stored tree " + storedLeaves
                    + ": entries were removed from the journal");
        }
        if (journal.first() > droppedTo) {
            problems.add("positions 0 to " + (journal.first() - 1) + " are missing from the journal and no retention "
                    + "entry covers them (" + (droppedTo == 0 ? "there is none" : "the newest drops up to " + droppedTo)
                    + "): entries were removed");
        }
        checkClaims(bySize, roots);
        return new Result(leaves, leaves == 0 ? digest.digest(new byte[0]) : root(), problems);
    }

    /**
     * Entries in journal order with their uuids, hashed into leaves on a worker thread: leaf bytes and their hash
     * are most of the work, and each entry's are independent of the others'.
     */
    private static final class Batch {
        final long[] positions = new long[BATCH];
        final Entry[] entries = new Entry[BATCH];
        final UUID[] uuids = new UUID[BATCH];
        final byte[][] hashes = new byte[BATCH][];
        int size;

        void add(long position, Entry entry, UUID uuid) {
            positions[size] = position;
            entries[size] = entry;
            uuids[size++] = uuid;
        }

        Batch hash() {
            LeafBytes bytes = new LeafBytes();
            MessageDigest sha = Merkle.sha256();
            for (int i = 0; i < size; i++) {
                hashes[i] = Merkle.leafHash(sha, bytes.of(entries[i], uuids[i]));
            }
            return this;
        }
    }

    private static Batch take(Future<Batch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the journal", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void fold(Batch b) {
        for (int i = 0; i < b.size; i++) {
            add(b.positions[i], b.entries[i], b.uuids[i], b.hashes[i]);
            takeRoots();
            if (leaves % (1 << 20) == 0) {
                progress.accept(leaves);
            }
        }
    }

    /** Notes the root of the tree as it is now for every checkpoint of this size. */
    private void takeRoots() {
        while (nextRoot < sizes.length && sizes[nextRoot] == leaves) {
            roots[nextRoot++] = leaves == 0 ? digest.digest(new byte[0]) : root();
        }
    }

    /**
     * Retention dropped the entries below {@code first}; the tree kept their leaf hashes, which stand in for them, so
     * the roots of checkpoints signed before the drop are recomputed all the same. Whether a retention entry covers
     * the drop is checked once the journal is read. False when the stored tree lacks those leaves.
     */
    private boolean foldDropped(long first) {
        if (first == 0) {
            return true;
        }
        if (storedLeaves < first) {
            problems.add("the journal starts at position " + first + " (older entries dropped) but the stored tree "
                    + "holds " + storedLeaves + " leaves: the hashes of the dropped entries are gone");
            return false;
        }
        for (long p = 0; p < first; p++) {
            byte[] leaf = new byte[Merkle.HASH_BYTES];
            compare(leaf);
            System.arraycopy(storedHash, 0, leaf, 0, leaf.length);
            climb(leaf);
            takeRoots();
        }
        return true;
    }

    /**
     * Once retention dropped entries, an action carried forward may have kept entries older than the one that now
     * holds its uuid (those between the drop and the carry): a first pass learns the uuids of carried actions.
     */
    private void learnCarriedUuids() {
        if (journal.first() == 0) {
            return;
        }
        journal.replay(0, new Journal.EntryConsumer() {
            @Override
            public void accept(long position, Entry entry) {
                if (entry instanceof Entry.Created c && c.carried()) {
                    uuidOf(c);
                }
            }

            @Override
            public boolean readsTexts() {
                return false;
            }
        });
    }

    private void add(long position, Entry entry, UUID uuid, byte[] leafHash) {
        if (compare(leafHash) && !leafDiffers) {
            leafDiffers = true;
            problems.add("position " + position + " (action " + uuid + ", id " + entry.id() + ", "
                    + kind(entry) + " entry) differs from the leaf the tree stored for it: the journal was changed"
                    + " there (an entry changed, removed, moved or inserted)");
        }
        climb(leafHash);
    }

    /** Folds a leaf into the right edge, comparing each subtree hash it completes with the stored one. */
    private void climb(byte[] leafHash) {
        byte[] node = leafHash;
        int level = 0;
        for (long i = leaves; (i & 1) == 1; i >>>= 1, level++) {
            node = Merkle.nodeHash(digest, frontier[level], node);
            if (compare(node) && !leafDiffers && !nodeDiffers) {
                nodeDiffers = true;
                long index = leaves >>> (level + 1);
                problems.add("the stored subtree hash of level " + (level + 1) + ", index " + index + " (leaves "
                        + (index << (level + 1)) + " to " + (((index + 1) << (level + 1)) - 1)
                        + ") differs from the journal's: the tree file was changed");
            }
        }
        frontier[level] = node;
        leaves++;
    }

    /** Reads the next stored hash, if the stored tree has this leaf; true when it differs from {@code node}. */
    private boolean compare(byte[] node) {
        if (leaves >= storedLeaves) {
            return false;
        }
        try {
            if (stored.readNBytes(storedHash, 0, Merkle.HASH_BYTES) != Merkle.HASH_BYTES) {
                throw new IOException("tree file ends early");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return !Arrays.equals(node, storedHash);
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
        if (e instanceof Entry.Created c) {
            return c.carried() ? "carried" : "created";
        }
        return e instanceof Entry.StateChanged ? "state" : e instanceof Entry.Expired ? "expired"
                : e instanceof Entry.Dropped ? "dropped" : "log";
    }
}
