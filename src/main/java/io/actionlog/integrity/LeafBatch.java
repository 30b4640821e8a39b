package io.actionlog.integrity;

import io.actionlog.journal.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

/**
 * {@link #LEAVES} consecutive journal entries of {@code verify}, starting at a leaf index that is a multiple of
 * {@link #LEAVES}, so that they make one complete, aligned subtree (the last batch: a part of one). {@link #hash}
 * (on a worker thread) computes their leaf hashes and every node of that subtree, reads the stored hashes of the
 * same nodes from the tree file in one positional read (they are contiguous there, post-order), and notes the first
 * leaf and the first node that differ. What lies above the subtree needs the hashes left of it, which the folding
 * thread holds; it gets the stored hashes of those nodes from here too ({@link #storedAbove}).
 *
 * <p>Filled and folded by one thread, hashed by another in between (the executor's hand-over orders the two).
 * Reused from batch to batch: its arrays (about 270 KB) are allocated once.
 */
final class LeafBatch {
    static final int LEVELS = 11;
    static final int LEAVES = 1 << LEVELS;
    /** The stored hashes of the subtree (2 * LEAVES - 1) and of the up to 64 - LEVELS nodes it completes above. */
    private static final int STORED = 2 * LEAVES - 1 + 64 - LEVELS;

    final long[] positions = new long[LEAVES];
    final Entry[] entries = new Entry[LEAVES];
    final UUID[] uuids = new UUID[LEAVES];
    /** Level h of the subtree at hashes {@code 2 * LEAVES - (2 * LEAVES >> h)}, each level's nodes left to right. */
    private final byte[] nodes = new byte[(2 * LEAVES - 1) * Merkle.HASH_BYTES];
    private final byte[] stored = new byte[STORED * Merkle.HASH_BYTES];
    private final LeafBytes leafBytes = new LeafBytes();
    private final MessageDigest digest = Merkle.sha256();
    /** The tree index of the first leaf. */
    long start;
    int size;
    /** How many of this batch's stored hashes (post-order, from its first leaf's) the tree file holds. */
    private int storedCount;
    /** Post-order number (within the batch) of the first leaf that differs from its stored hash, or -1. */
    int differingLeafSlot;
    /** Which leaf that is. */
    int differingLeaf;
    /** Post-order number of the first interior node that differs, or -1, its level and index within the batch. */
    int differingNodeSlot;
    int differingLevel;
    int differingIndex;

    void clear(long firstLeaf) {
        start = firstLeaf;
        size = 0;
        Arrays.fill(entries, null);
        Arrays.fill(uuids, null);
    }

    void add(long position, Entry entry, UUID uuid) {
        positions[size] = position;
        entries[size] = entry;
        uuids[size++] = uuid;
    }

    boolean full() {
        return size == LEAVES;
    }

    /** Hashes the leaves and the subtree, and compares them with the tree file's first {@code storedNodes} hashes. */
    LeafBatch hash(FileChannel tree, long storedNodes) {
        for (int i = 0; i < size; i++) {
            leafBytes.hash(entries[i], uuids[i], digest, nodes, i * Merkle.HASH_BYTES);
        }
        for (int h = 1; h <= LEVELS; h++) {
            int below = offset(h - 1);
            for (int k = 0; k < size >>> h; k++) {
                Merkle.nodeHash(digest, nodes, (below + 2 * k) * Merkle.HASH_BYTES, nodes,
                        (below + 2 * k + 1) * Merkle.HASH_BYTES, nodes, (offset(h) + k) * Merkle.HASH_BYTES);
            }
        }
        long first = TreeFile.nodes(start);
        storedCount = (int) Math.max(0, Math.min(STORED, storedNodes - first));
        read(tree, first);
        compare();
        return this;
    }

    private void read(FileChannel tree, long firstNode) {
        ByteBuffer b = ByteBuffer.wrap(stored, 0, storedCount * Merkle.HASH_BYTES);
        try {
            while (b.hasRemaining()) {
                if (tree.read(b, firstNode * Merkle.HASH_BYTES + b.position()) < 0) {
                    throw new IOException("tree file ends early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tree hashes not read", e);
        }
    }

    /**
     * Walks the subtree in post-order, the order of the file, as far as the file goes and up to the first leaf that
     * differs: what follows it is not reported (every node above a changed leaf differs too).
     */
    private void compare() {
        differingLeafSlot = -1;
        differingNodeSlot = -1;
        int slot = 0;
        for (int i = 0; i < size && slot < storedCount; i++) {
            if (differs(slot, 0, i)) {
                differingLeafSlot = slot;
                differingLeaf = i;
                return;
            }
            slot++;
            for (int h = 1, j = i; (j & 1) == 1 && h <= LEVELS && slot < storedCount; j >>>= 1, h++, slot++) {
                if (differingNodeSlot < 0 && differs(slot, h, i >>> h)) {
                    differingNodeSlot = slot;
                    differingLevel = h;
                    differingIndex = i >>> h;
                }
            }
        }
    }

    private boolean differs(int slot, int level, int index) {
        int at = (offset(level) + index) * Merkle.HASH_BYTES;
        return !Arrays.equals(nodes, at, at + Merkle.HASH_BYTES, stored, slot * Merkle.HASH_BYTES,
                (slot + 1) * Merkle.HASH_BYTES);
    }

    private static int offset(int level) {
        return 2 * LEAVES - (2 * LEAVES >> level);
    }

    /** A copy of node {@code index} of level {@code level} of the subtree (complete within this batch). */
    byte[] node(int level, int index) {
        int at = (offset(level) + index) * Merkle.HASH_BYTES;
        return Arrays.copyOfRange(nodes, at, at + Merkle.HASH_BYTES);
    }

    /** The hash of this batch's leaves {@code [0, n)}, 0 &lt; n &le; size, split as RFC 9162 splits a tree. */
    byte[] prefixHash(MessageDigest d, int n) {
        return Merkle.rangeHash(d, 0, n, (from, to) -> {
            int level = Long.numberOfTrailingZeros(to - from);
            return node(level, (int) (from >>> level));
        });
    }

    /**
     * Whether the tree file holds the {@code k}-th node above the subtree (k = 0: level {@link #LEVELS} + 1) that
     * the batch's last leaf completes, and if so whether {@code hash} differs from it.
     */
    boolean storedAboveDiffers(int k, byte[] hash) {
        int slot = 2 * LEAVES - 1 + k;
        return slot < storedCount && !Arrays.equals(hash, 0, Merkle.HASH_BYTES, stored, slot * Merkle.HASH_BYTES,
                (slot + 1) * Merkle.HASH_BYTES);
    }
}
