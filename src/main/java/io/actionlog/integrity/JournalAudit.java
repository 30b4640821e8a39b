package io.actionlog.integrity;

import io.actionlog.journal.Entry;
import io.actionlog.journal.EntryBytes;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
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
 * a rolled-back directory) fails. The calling thread reads the journal ({@link Journal#replayBytes}: texts stay
 * UTF-8), each entry once, straight into batches of {@link AuditBatch#SIZE} leaves, each a complete subtree that a
 * hasher thread (one per core) hashes and compares with its stored hashes; the calling thread folds the batches'
 * roots into the tree in order ({@link TreeEdge}). Heap: two longs per action (their uuids), {@link #IN_FLIGHT}
 * batches and the one filling (their entries read), and the tree's right edge, whatever the journal's size.
 */
public final class JournalAudit {
    /**
     * A checkpoint to check, where it came from (the log, or a file an auditor kept), and how its signature checked:
     * checked when the claim is made, so that a log of millions of checkpoints is held as sizes and roots only.
     */
    public record Claim(String source, long size, byte[] root, Signature signature, String keys) {
        /** The claim of {@code checkpoint}, its signature checked with {@code key} (null: the directory has none). */
        public static Claim of(String source, Checkpoint checkpoint, VerifierKey key) {
            return of(source, checkpoint, key == null ? List.of() : List.of(key));
        }

        /**
         * The claim of {@code checkpoint}, valid when any of {@code keys} signed it: an auditor's checkpoint may be
         * of a key the log was signed with before it changed keys.
         */
        public static Claim of(String source, Checkpoint checkpoint, List<VerifierKey> keys) {
            Signature s = keys.isEmpty() ? Signature.NO_KEY
                    : keys.stream().anyMatch(checkpoint::signedBy) ? Signature.VALID : Signature.FORGED;
            String names = String.join(" or ", keys.stream().map(k -> k.name() + "+"
                    + java.util.HexFormat.of().formatHex(k.keyId())).toList());
            return new Claim(source, checkpoint.size(), checkpoint.root(), s, names);
        }
    }

    /** How a claim's signature checked. */
    public enum Signature { VALID, FORGED, NO_KEY }

    /**
     * The outcome: the tree's size and root, every problem found (first ones first), and notes on what could not be
     * compared, which are no failure: a stored tree missing, behind the journal or cut (a restored backup, a crash)
     * is rebuilt from the journal by the next start, and the signed checkpoints vouch for the journal without it.
     * {@code signedSize}: the largest checkpoint size that verified (0: none).
     */
    public record Result(long entries, byte[] root, List<String> problems, List<String> notes, long signedSize) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** Batches hashed or waiting: enough to keep every hasher busy while the reader folds the oldest. */
    private static final int IN_FLIGHT = 2 * THREADS + 1;

    private final Journal journal;
    private final Path treeFile;
    private final LongConsumer progress;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long signedSize;
    private final Deque<AuditBatch> free = new ArrayDeque<>();
    private final ActionUuidTable uuids = new ActionUuidTable();
    private TreeEdge edge;
    private long storedLeaves;
    private long[] sizes;
    /** Where the newest retention entry ({@link Entry.Dropped}) read says the journal starts. */
    private long droppedTo;

    /** {@code progress} is told of entries read now and then; the claims' signatures are checked by their maker. */
    public JournalAudit(Journal journal, Path treeFile, LongConsumer progress) {
        this.journal = journal;
        this.treeFile = treeFile;
        this.progress = progress;
    }

    /**
     * Runs the audit; {@code also} is shown every entry too, in journal order on this thread, so that a caller's own
     * count needs no second replay.
     */
    public Result run(List<Claim> claims, Journal.BytesConsumer also) throws IOException {
        List<Claim> bySize = new ArrayList<>(claims);
        bySize.sort(Comparator.comparingLong(Claim::size));
        sizes = bySize.stream().mapToLong(Claim::size).toArray();
        long treeBytes = Files.exists(treeFile) ? Files.size(treeFile) : -1;
        storedLeaves = treeBytes < 0 ? 0 : TreeFile.leavesIn(treeBytes / Merkle.HASH_BYTES);
        if (treeBytes >= 0 && treeBytes != TreeFile.nodes(storedLeaves) * Merkle.HASH_BYTES) {
            notes.add("the stored tree " + treeFile + " has " + treeBytes + " bytes, not the hashes of a whole "
                    + "number of leaves: those of its first " + storedLeaves + " leaves were compared (a write cut by "
                    + "a crash, or a changed file)");
        }
        ExecutorService hashers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "actionlog-verify-hash");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel tree = storedLeaves == 0 ? null : FileChannel.open(treeFile, StandardOpenOption.READ)) {
            edge = new TreeEdge(tree, storedLeaves, sizes, problems);
            edge.takeRoots();
            long first = journal.first();
            if (first > storedLeaves) {
                problems.add("the journal starts at position " + first + " (older entries dropped) but the stored "
                        + "tree holds " + storedLeaves + " leaves: the hashes of the dropped entries are gone");
                return new Result(0, edge.root(), problems, notes, 0);
            }
            learnCarriedUuids(first);
            hashAll(first, also, hashers, tree);
        } finally {
            hashers.shutdownNow();
        }
        long leaves = edge.leaves();
        if (storedLeaves < leaves) {
            notes.add(treeBytes < 0 ? "there is no stored tree (" + treeFile + "): none of the " + leaves
                    + " leaves was compared with a stored hash (a server start builds it from the journal)"
                    : "the stored tree holds " + storedLeaves + " leaves and the journal " + leaves + " entries: "
                    + "positions " + storedLeaves + " to " + (leaves - 1) + " have no stored hash to compare (a "
                    + "server that stopped before its tree caught up, a tree cut short, or entries added to the "
                    + "journal; a server start hashes them from the journal)");
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
        checkClaims(bySize, edge.roots());
        if (signedSize < leaves) {
            notes.add(signedSize == 0 ? "no signed checkpoint vouches for any of the " + leaves + " entries"
                    : "entries " + signedSize + " to " + (leaves - 1) + " are after the largest signed checkpoint "
                    + "that verified (" + signedSize + "): no signature vouches for them yet");
        }
        return new Result(leaves, edge.root(), problems, notes, signedSize);
    }

    /**
     * Reads the journal on this thread into batches that the hashers hash, and folds their results in order. The
     * leaves below {@code first}, which retention dropped, are the stored hashes: whole batches of them, then the
     * start of the batch the journal's first entry falls in.
     */
    private void hashAll(long first, Journal.BytesConsumer also, ExecutorService hashers, FileChannel tree) {
        Deque<Future<AuditBatch>> pending = new ArrayDeque<>();
        long start = first - first % AuditBatch.SIZE;
        for (long at = 0; at < start; at += AuditBatch.SIZE) {
            submit(batch(at, AuditBatch.SIZE), pending, hashers, tree);
        }
        AuditBatch[] filling = {batch(start, (int) (first - start))};
        long fed = journal.replayBytes(0, () -> filling[0].next(), (position, entry) -> {
            also.accept(position, entry);
            if (entry.retention() instanceof Entry.Dropped d) {
                droppedTo = Math.max(droppedTo, d.to());
            }
            AuditBatch b = filling[0];
            boolean hasUuid = uuids.resolve(entry);
            b.add(position, hasUuid, hasUuid ? uuids.high() : 0, hasUuid ? uuids.low() : 0);
            if (b.full()) {
                submit(b, pending, hashers, tree);
                filling[0] = batch(b.first + AuditBatch.SIZE, 0);
            }
        });
        long skipped = journal.size() - first - fed;
        if (skipped > 0) {
            problems.add(skipped + " of the journal's entries do not decode (a changed byte their checksum caught, or "
                    + "bytes that are not an entry); the log above names their positions, and every leaf after the "
                    + "first of them is out of place");
        }
        if (filling[0].size > 0) {
            submit(filling[0], pending, hashers, tree);
        }
        while (!pending.isEmpty()) {
            fold(take(pending.poll()));
        }
    }

    private AuditBatch batch(long first, int dropped) {
        AuditBatch b = free.poll();
        return (b == null ? new AuditBatch() : b).reset(first, dropped);
    }

    private void submit(AuditBatch b, Deque<Future<AuditBatch>> pending, ExecutorService hashers, FileChannel tree) {
        pending.add(hashers.submit(() -> b.hash(tree, storedLeaves, sizes)));
        while (pending.size() >= IN_FLIGHT) {
            fold(take(pending.poll()));
        }
    }

    private static AuditBatch take(Future<AuditBatch> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the journal", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Takes a hashed batch's findings and subtrees into the tree, in journal order; the batch is then free. */
    private void fold(AuditBatch b) {
        if (b.nodeLevel > 0) {
            edge.nodeDiffers(b.nodeLevel, b.nodeIndex);
        }
        if (b.leafDiffers >= 0 && !edge.leafDiffers()) {
            edge.leafDiffers(leafProblem(b, b.leafDiffers));
        }
        edge.add(b);
        if (b.size > b.dropped && edge.leaves() % (1 << 20) == 0) {
            progress.accept(edge.leaves());
        }
        free.add(b);
    }

    private String leafProblem(AuditBatch b, int j) {
        EntryBytes e = b.entry(j);
        UUID uuid = b.hasUuid[j] ? new UUID(b.uuidHigh[j], b.uuidLow[j]) : null;
        String place = journal.placeOf(b.positions[j]);
        return "position " + b.positions[j] + " (action " + uuid + ", id " + e.id() + ", " + kind(e)
                + " entry" + (place == null ? "" : ", " + place) + ") differs from the leaf the tree stored for it: "
                + "the journal was changed there (an entry changed, removed, moved or inserted)";
    }

    /**
     * Once retention dropped entries, an action carried forward may have kept entries older than the one that now
     * holds its uuid (those between the drop and the carry): a first pass learns the uuids of carried actions.
     */
    private void learnCarriedUuids(long first) {
        if (first == 0) {
            return;
        }
        journal.replayBytes(0, (position, entry) -> {
            if (entry.kind() == EntryBytes.Kind.CREATED && entry.created().carried()) {
                uuids.resolve(entry);
            }
        });
    }

    private void checkClaims(List<Claim> claims, byte[][] roots) {
        long matched = 0;
        for (int i = 0; i < claims.size(); i++) {
            Claim c = claims.get(i);
            String name = "checkpoint of size " + c.size() + " (" + c.source() + ")";
            if (c.signature() == Signature.NO_KEY) {
                problems.add(name + ": there is no signing key (integrity.key_file) to check it with");
            } else if (c.signature() == Signature.FORGED) {
                problems.add(name + ": its signature does not verify with key " + c.keys()
                        + ": it is forged, or another log's (signed with another key)");
            } else if (c.size() > edge.leaves()) {
                problems.add(name + ": covers more entries than the journal's " + edge.leaves()
                        + ": the journal was truncated or rolled back");
            } else if (c.size() == 0 && !Arrays.equals(c.root(), roots[i])) {
                // Signed with the key, yet no tree has that root: the key signed what the server never would.
                problems.add(name + ": its root is not the empty tree's (SHA-256 of nothing): not a checkpoint the "
                        + "server signed");
            } else if (!Arrays.equals(c.root(), roots[i])) {
                problems.add(name + ": its root " + Base64.getEncoder().encodeToString(c.root())
                        + " is not the journal's; the first differing position is at or after " + matched
                        + " and below " + c.size() + ": history was rewritten");
            } else {
                matched = Math.max(matched, c.size());
            }
        }
        signedSize = matched;
    }

    private static String kind(EntryBytes e) {
        return switch (e.kind()) {
            case CREATED -> e.created().carried() ? "carried" : "created";
            case STATE_CHANGED -> "state";
            case LOG_APPENDED -> "log";
            case EXPIRED -> "expired";
            case DROPPED -> "dropped";
        };
    }
}
