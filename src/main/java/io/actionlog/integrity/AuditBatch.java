package io.actionlog.integrity;

import io.actionlog.journal.EntryBytes;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * {@link #SIZE} consecutive leaves of the tree, starting at a multiple of {@link #SIZE}: a complete subtree (the
 * last batch of a journal may be shorter). The reading thread reads entries into it in journal order, each into an
 * {@link EntryBytes} of the batch's own (so a hasher neither copies nor reads an entry again); a hasher
 * thread then computes their leaf hashes, folds them into the batch's subtrees and compares every hash with the
 * stored tree, whose hashes of one batch lie together in the file ({@link TreeFile}'s post-order), so one read
 * fetches them all. Leaves older than the journal's start (dropped by retention) come first, if any, and are the
 * stored hashes themselves. The filling thread hands the batch to the hasher and takes it back after, each through
 * the executor's queue and future, so each sees the other's writes; the batch is then reused.
 */
final class AuditBatch {
    static final int SIZE = 2048;
    /** The level of a full batch's root. */
    static final int LEVELS = Integer.numberOfTrailingZeros(SIZE);
    private static final int H = Merkle.HASH_BYTES;

    /** The entries as the reading thread read them, by index in the batch (none for the dropped leaves). */
    private final EntryBytes[] entries = new EntryBytes[SIZE];
    final long[] positions = new long[SIZE];
    final boolean[] hasUuid = new boolean[SIZE];
    final long[] uuidHigh = new long[SIZE];
    final long[] uuidLow = new long[SIZE];
    private final byte[] leaves = new byte[SIZE * H];
    private final byte[] stored = new byte[(2 * SIZE - 1) * H];
    /** frontier[h]: the complete subtree of level h at the batch's right edge; level {@link #LEVELS}: its root. */
    final byte[] frontier = new byte[(LEVELS + 1) * H];
    /** The node being folded, at {@link Merkle#RIGHT}, with its left neighbour put before it to hash the two. */
    private final byte[] pair = Merkle.newPair();
    private final LeafBytes leafBytes = new LeafBytes();
    private final MessageDigest digest = Merkle.sha256();

    /** The tree position of the first leaf. */
    long first;
    /** Leaves at the start that retention dropped from the journal: their hashes are the stored ones. */
    int dropped;
    int size;
    /** After {@link #hash}: the first leaf (index in the batch) that differs from the stored one, or -1. */
    int leafDiffers;
    /** After {@link #hash}: the first stored subtree hash found to differ before any leaf did (level 0: none). */
    int nodeLevel;
    long nodeIndex;
    /** After {@link #hash}: for checkpoint sizes strictly inside the batch, their index and the batch's part of their root. */
    int[] rootSizes = new int[4];
    byte[][] partRoots = new byte[4][];
    int rootCount;

    /** Starts again at tree position {@code first}, its first {@code dropped} leaves being stored ones. */
    AuditBatch reset(long first, int dropped) {
        this.first = first;
        this.dropped = dropped;
        this.size = dropped;
        return this;
    }

    boolean full() {
        return size == SIZE;
    }

    /** Where the reading thread reads the next entry; {@link #add} takes it in, else it is given again. */
    EntryBytes next() {
        EntryBytes e = entries[size];
        return e != null ? e : (entries[size] = new EntryBytes());
    }

    /** Takes in the entry just read into {@link #next()}: the one at journal position {@code position}, of this uuid. */
    void add(long position, boolean uuid, long high, long low) {
        positions[size] = position;
        hasUuid[size] = uuid;
        uuidHigh[size] = high;
        uuidLow[size++] = low;
    }

    /** The entry at index {@code j} (not a dropped one); valid until the batch is reset. */
    EntryBytes entry(int j) {
        return entries[j];
    }

    /**
     * Hashes the batch and compares it with the stored tree of {@code storedLeaves} leaves; {@code sizes} are the
     * checkpoint sizes (sorted) whose roots are wanted. Runs on a hasher thread.
     */
    AuditBatch hash(FileChannel tree, long storedLeaves, long[] sizes) {
        int available = readStored(tree, storedLeaves);
        for (int j = 0, k = 0; j < size; j++) {
            if (j < dropped) {
                System.arraycopy(stored, k * H, leaves, j * H, H);
                k += 1 + Integer.numberOfTrailingZeros(~j);
            } else {
                leafBytes.hash(entries[j], hasUuid[j], uuidHigh[j], uuidLow[j], digest, leaves, j * H);
            }
        }
        leafDiffers = -1;
        nodeLevel = 0;
        rootCount = 0;
        int next = firstSizeAfter(sizes, first);
        for (int j = 0, k = 0; j < size; j++) {
            if (k < available && differs(leaves, j * H, k++) && leafDiffers < 0) {
                leafDiffers = j;
            }
            System.arraycopy(leaves, j * H, pair, Merkle.RIGHT, H);
            int level = 0;
            for (int i = j; (i & 1) == 1; i >>>= 1, level++) {
                System.arraycopy(frontier, level * H, pair, Merkle.LEFT, H);
                Merkle.nodeHash(digest, pair, pair, Merkle.RIGHT);
                if (k < available && differs(pair, Merkle.RIGHT, k++) && leafDiffers < 0 && nodeLevel == 0) {
                    nodeLevel = level + 1;
                    nodeIndex = (first + j) >>> (level + 1);
                }
            }
            System.arraycopy(pair, Merkle.RIGHT, frontier, level * H, H);
            while (next < sizes.length && sizes[next] == first + j + 1 && j + 1 < size) {
                partRoot(next++, j + 1);
            }
        }
        return this;
    }

    /** Reads the stored hashes of this batch's subtrees that the stored tree has; returns how many. */
    private int readStored(FileChannel tree, long storedLeaves) {
        long end = Math.min(storedLeaves, first + size);
        if (end <= first) {
            return 0;
        }
        int count = (int) Math.min(2L * SIZE - 1, TreeFile.nodes(end) - TreeFile.nodes(first));
        TreeFile.read(tree, ByteBuffer.wrap(stored, 0, count * H), TreeFile.nodes(first) * H);
        return count;
    }

    private boolean differs(byte[] hash, int at, int storedIndex) {
        return !Arrays.equals(hash, at, at + H, stored, storedIndex * H, storedIndex * H + H);
    }

    private static int firstSizeAfter(long[] sizes, long first) {
        int i = 0;
        while (i < sizes.length && sizes[i] <= first) {
            i++;
        }
        return i;
    }

    /** The root of the batch's first {@code leaves} leaves, from its right edge, for checkpoint size {@code index}. */
    private void partRoot(int index, int leaves) {
        byte[] r = null;
        for (int h = 0; h < LEVELS; h++) {
            if ((leaves >>> h & 1) == 1) {
                if (r == null) {
                    r = Arrays.copyOfRange(frontier, h * H, h * H + H);
                } else {
                    Merkle.nodeHash(digest, frontier, h * H, r, 0, r, 0);
                }
            }
        }
        if (rootCount == rootSizes.length) {
            rootSizes = Arrays.copyOf(rootSizes, rootCount * 2);
            partRoots = Arrays.copyOf(partRoots, rootCount * 2);
        }
        rootSizes[rootCount] = index;
        partRoots[rootCount++] = r;
    }
}
