package io.actionlog.integrity;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * The right edge of the tree {@code verify} rebuilds, fed whole batches in order ({@link AuditBatch}): it folds each
 * batch's subtrees in, compares every subtree above a batch with the stored one, notes the root at every checkpoint
 * size, and words the first differences found. One thread (the reading one).
 */
final class TreeEdge {
    private static final int H = Merkle.HASH_BYTES;
    private final FileChannel stored;
    private final long storedLeaves;
    private final long[] sizes;
    private final byte[][] roots;
    private final List<String> problems;
    private final MessageDigest digest = Merkle.sha256();
    /** frontier[h]: the complete subtree of level h at the right edge, where bit h of {@link #leaves} is set. */
    private final byte[][] frontier = new byte[64][];
    private final byte[] storedHash = new byte[H];
    private long leaves;
    private int nextRoot;
    private boolean leafDiffers;
    private boolean nodeDiffers;

    /** {@code stored}: the tree file of {@code storedLeaves} leaves (null when empty); {@code sizes} sorted. */
    TreeEdge(FileChannel stored, long storedLeaves, long[] sizes, List<String> problems) {
        this.stored = stored;
        this.storedLeaves = storedLeaves;
        this.sizes = sizes;
        this.roots = new byte[sizes.length][];
        this.problems = problems;
    }

    long leaves() {
        return leaves;
    }

    /** The root of the tree at each of the sizes, null for a size the journal does not reach. */
    byte[][] roots() {
        return roots;
    }

    boolean leafDiffers() {
        return leafDiffers;
    }

    void leafDiffers(String problem) {
        leafDiffers = true;
        problems.add(problem);
    }

    /** A stored subtree hash differs from the journal's; told only of the first, and not once a leaf differed. */
    void nodeDiffers(int level, long index) {
        if (leafDiffers || nodeDiffers) {
            return;
        }
        nodeDiffers = true;
        problems.add("the stored subtree hash of level " + level + ", index " + index + " (leaves "
                + (index << level) + " to " + (((index + 1) << level) - 1)
                + ") differs from the journal's: the tree file was changed");
    }

    /** Folds in a hashed batch, which starts where the tree ends. */
    void add(AuditBatch b) {
        takeRoots();
        for (int i = 0; i < b.rootCount; i++) {
            byte[] r = b.partRoots[i];
            for (int h = AuditBatch.LEVELS; h < 64; h++) {
                if ((leaves >>> h & 1) == 1) {
                    Merkle.nodeHash(digest, frontier[h], 0, r, 0, r, 0);
                }
            }
            roots[b.rootSizes[i]] = r;
            nextRoot = b.rootSizes[i] + 1;
        }
        if (b.full()) {
            climb(Arrays.copyOfRange(b.frontier, AuditBatch.LEVELS * H, (AuditBatch.LEVELS + 1) * H));
        } else {
            for (int h = 0; h < AuditBatch.LEVELS; h++) {
                if ((b.size >>> h & 1) == 1) {
                    frontier[h] = Arrays.copyOfRange(b.frontier, h * H, h * H + H);
                }
            }
            leaves += b.size;
        }
        takeRoots();
    }

    /** Adds a full batch's root, comparing each subtree it completes with the stored one. */
    private void climb(byte[] batchRoot) {
        byte[] node = batchRoot;
        int level = AuditBatch.LEVELS;
        for (long i = leaves >>> level; (i & 1) == 1; i >>>= 1, level++) {
            node = Merkle.nodeHash(digest, frontier[level], node);
            long index = leaves >>> (level + 1);
            if (((index + 1) << (level + 1)) <= storedLeaves && differs(node, level + 1, index)) {
                nodeDiffers(level + 1, index);
            }
        }
        frontier[level] = node;
        leaves += AuditBatch.SIZE;
    }

    private boolean differs(byte[] node, int level, long index) {
        TreeFile.read(stored, ByteBuffer.wrap(storedHash), TreeFile.slot(level, index) * H);
        return !Arrays.equals(node, storedHash);
    }

    /** Notes the root of the tree as it is now for every checkpoint of this size. */
    void takeRoots() {
        while (nextRoot < sizes.length && sizes[nextRoot] == leaves) {
            roots[nextRoot++] = root();
        }
    }

    /** The root of the leaves so far, folded from the right edge. */
    byte[] root() {
        if (leaves == 0) {
            return digest.digest(new byte[0]);
        }
        byte[] r = null;
        for (int h = 0; h < 64; h++) {
            if ((leaves >>> h & 1) == 1) {
                r = r == null ? frontier[h] : Merkle.nodeHash(digest, frontier[h], r);
            }
        }
        return r;
    }
}
