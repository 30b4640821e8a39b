package io.actionlog.integrity;

import io.actionlog.action.NewAction;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;
import io.actionlog.store.Entries;
import io.actionlog.store.Writer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the {@link TreeFile} equal to the journal: one leaf per entry, leaf index = journal position. At start
 * ({@link #catchUp}, before the writer runs) it cuts the tree back to a journal whose torn tail recovery removed, or
 * hashes the entries the tree does not have yet: none after a clean stop, the last few after a crash, all of them
 * the first time a journal written before the tree is opened. Then, on the writer thread, it hashes each entry's leaf
 * as a {@link Writer.Preparer}, right after the append (the entry's texts are still in the cache, and the journal's
 * UTF-8 of its repeated values is at hand), or from the {@link LeafHalves} a bulk request's worker wrote for it
 * ({@link #ahead}), and keeps the hashes; as a writer {@link Writer.Listener} it appends
 * each durable entry's hash to the tree (hashing it then if it was not prepared) and flushes the tree once per
 * batch, before the batch's replies go out: an acknowledged action has its leaf in the tree.
 *
 * <p>While the tree file cannot be written (a full disk), the tree publishes no new size, the entries go on being
 * acknowledged, and what the tree could not take is let go; once writes succeed again, the keeper hashes the entries
 * the tree missed from the journal, at most 65,536 a batch, and the tree is whole again.
 *
 * <p>Threads: start-up thread, then the writer thread only ({@link #ahead} runs on any thread, with buffers of
 * each thread's own). Readers use the {@link TreeFile} directly.
 */
public final class TreeKeeper implements Writer.Listener, Writer.Preparer {
    private static final Logger LOG = Logger.getLogger(TreeKeeper.class.getName());
    private static final long PROGRESS_EVERY = 1 << 20;
    private static final int PREPARED_KEPT = Merkle.HASH_BYTES * (1 << 15);
    /** Entries the tree missed that one batch hashes from the journal: what one batch's replies wait for is bounded. */
    private static final int CATCH_UP_PER_BATCH = 1 << 16;

    private final TreeFile tree;
    private final Journal journal;
    private final ActionUuids uuids;
    private final LeafBytes leaves = new LeafBytes();
    /** {@link #ahead}'s, one per thread that calls it (the fixed pool of workers). */
    private final ThreadLocal<LeafBytes> aheadLeaves = ThreadLocal.withInitial(LeafBytes::new);
    private final MessageDigest digest = Merkle.sha256();
    /** The leaf hash being appended; the tree copies it, so one array serves every entry. */
    private final byte[] leafHash = new byte[Merkle.HASH_BYTES];
    /**
     * Leaf hashes of the entries from position {@link #preparedFrom} on, appended but not yet published: as many as
     * a writer batch holds, 32 bytes each; an array a very large batch grew is let go once it is published.
     */
    private byte[] prepared = new byte[PREPARED_KEPT];
    private long preparedFrom;
    private int preparedCount;
    /** Whether the last write of the tree failed (to log a failure once, and the recovery). */
    private boolean failing;

    public TreeKeeper(TreeFile tree, Journal journal, ActionIndex index) {
        this.tree = tree;
        this.journal = journal;
        this.uuids = new ActionUuids(journal, index);
    }

    /** Brings the tree to the journal's size; call after the index is replayed and before the writer starts. */
    public void catchUp(Journal journal) throws IOException {
        long have = tree.size();
        long want = journal.size();
        if (have > want) {
            LOG.warning("the journal holds " + want + " entries and the tree " + have
                    + ": the tree is cut back to the journal (its torn tail was removed at recovery)");
            tree.truncate(want);
            return;
        }
        if (have == want) {
            return;
        }
        if (have < journal.first()) {
            throw new IllegalStateException("the Merkle tree holds " + have + " leaves but the journal starts at "
                    + journal.first() + " (retention dropped the entries before): the hashes of the dropped entries "
                    + "cannot be made again; put back integrity/tree from the backup this directory came from");
        }
        long t0 = System.nanoTime();
        LOG.info("hashing journal entries " + have + " to " + (want - 1) + " into the Merkle tree");
        journal.replay(have, (position, entry) -> {
            add(position, entry);
            if ((position + 1) % PROGRESS_EVERY == 0) {
                LOG.info(String.format(Locale.ROOT, "Merkle tree: %d of %d entries hashed", position + 1, want));
            }
        });
        tree.flush();
        LOG.info(String.format(Locale.ROOT, "Merkle tree: %d entries hashed in %d ms", want - have,
                (System.nanoTime() - t0) / 1_000_000));
    }

    /**
     * For a new action, on the thread that took it (a bulk request's worker): its leaf bytes but for the id, which
     * {@link #appended} completes on the writer thread. Bulk ingest keeps the writer busiest, and writing a leaf there
     * was most of what the tree cost it. Null if the bytes cannot be written (the writer then writes them).
     */
    public LeafHalves ahead(NewAction action) {
        try {
            return aheadLeaves.get().halves(Entries.created(1, action));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void appended(long position, Entry entry, ValueNumbers numbers, Object ahead) {
        if (preparedCount > 0 && position != preparedFrom + preparedCount) {
            preparedCount = 0; // out of step (an earlier preparation failed): those are hashed when published
        }
        if (preparedCount == 0) {
            preparedFrom = position;
        }
        int at = preparedCount * Merkle.HASH_BYTES;
        if (at == prepared.length) {
            prepared = Arrays.copyOf(prepared, prepared.length * 2);
        }
        if (ahead instanceof LeafHalves halves && entry instanceof Entry.Created c) {
            leaves.hash(halves, c.id(), digest, prepared, at);
        } else {
            leaves.hash(entry, uuids.of(entry), numbers, digest, prepared, at);
        }
        preparedCount++;
    }

    @Override
    public void published(List<Writer.Applied> entries) {
        try {
            for (Writer.Applied a : entries) {
                if (!caughtUpTo(a.position())) {
                    break;
                }
                long k = a.position() - preparedFrom;
                if (k >= 0 && k < preparedCount) {
                    checkNext(a.position());
                    tree.append(prepared, (int) k * Merkle.HASH_BYTES);
                } else {
                    add(a.position(), a.entry());
                }
            }
            tree.flush();
            if (failing) {
                failing = false;
                LOG.info("Merkle tree written again; it holds " + tree.size() + " leaves of the journal's "
                        + journal.size());
            }
        } catch (UncheckedIOException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.SEVERE, "Merkle tree hashes not written; the tree stays at " + tree.size()
                        + " leaves, and catches up from the journal once its writes succeed", e);
            }
        } finally {
            if (!entries.isEmpty()) {
                forgetUpTo(entries.get(entries.size() - 1).position() + 1);
            }
        }
    }

    /**
     * Hashes from the journal the entries before {@code position} that the tree missed while its writes failed, at
     * most {@link #CATCH_UP_PER_BATCH}; whether the tree reached the position.
     */
    private boolean caughtUpTo(long position) {
        for (int n = 0; tree.appended() < position; n++) {
            if (n == CATCH_UP_PER_BATCH) {
                return false;
            }
            long next = tree.appended();
            add(next, journal.read(next));
        }
        return true;
    }

    /** Drops the prepared hashes of positions below {@code end}; those after it wait for their publication. */
    private void forgetUpTo(long end) {
        int done = (int) Math.min(Math.max(end - preparedFrom, 0), preparedCount);
        if (done == 0) {
            return;
        }
        System.arraycopy(prepared, done * Merkle.HASH_BYTES, prepared, 0, (preparedCount - done) * Merkle.HASH_BYTES);
        preparedCount -= done;
        preparedFrom += done;
        if (preparedCount == 0 && prepared.length > PREPARED_KEPT) {
            prepared = new byte[PREPARED_KEPT];
        }
    }

    private void add(long position, Entry entry) {
        checkNext(position);
        leaves.hash(entry, uuids.of(entry), digest, leafHash, 0);
        tree.append(leafHash, 0);
    }

    private void checkNext(long position) {
        if (position != tree.appended()) {
            throw new IllegalStateException("the tree expected journal position " + tree.appended() + ", got "
                    + position + "; it catches up at the next start");
        }
    }
}
