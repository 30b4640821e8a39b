package io.actionlog.integrity;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree hashing of RFC 9162 §2.1 (the same as RFC 6962): leaf hash = SHA-256(0x00 || leaf bytes), interior
 * node = SHA-256(0x01 || left || right), and the audit paths and consistency proofs of §2.1.3 and §2.1.4, computed
 * over any source of subtree hashes. Plain Java, no I/O; every method is safe on any thread.
 */
public final class Merkle {
    public static final int HASH_BYTES = 32;

    /** The hash of the leaves {@code [from, to)} of a tree: a stored node when that range is one, else computed. */
    @FunctionalInterface
    public interface Subtrees {
        byte[] hash(long from, long to);
    }

    private Merkle() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] leafHash(MessageDigest digest, byte[] leaf) {
        digest.update((byte) 0);
        return digest.digest(leaf);
    }

    public static byte[] nodeHash(MessageDigest digest, byte[] left, byte[] right) {
        digest.update((byte) 1);
        digest.update(left);
        return digest.digest(right);
    }

    /**
     * The leaf hash of the leaf {@code head || middle[0, length) || tail} where {@code head} starts with the leaf's
     * 0x00 prefix, written at {@code into[at]}.
     */
    public static void prefixedLeafHash(MessageDigest digest, byte[] head, byte[] middle, int length, byte[] tail,
                                        byte[] into, int at) {
        digest.update(head);
        digest.update(middle, 0, length);
        digest.update(tail);
        finish(digest, into, at);
    }

    /**
     * The leaf hash of leaf bytes that follow their 0x00 prefix in the same array, {@code prefixed[0, length)}: one
     * update of the digest, which then takes whole blocks straight from the array (the prefix as an update of its own
     * cost a leaf about a sixth more here; see docs/benchmarks.md).
     */
    public static void prefixedLeafHash(MessageDigest digest, byte[] prefixed, int length, byte[] into, int at) {
        digest.update(prefixed, 0, length);
        finish(digest, into, at);
    }

    /** A pair for {@link #nodeHash(MessageDigest, byte[], byte[], int)}: 0x01, then room for the two hashes. */
    public static byte[] newPair() {
        byte[] pair = new byte[PAIR_BYTES];
        pair[0] = 1;
        return pair;
    }

    /** Where the left and the right hash go in a pair of {@link #newPair()}. */
    public static final int LEFT = 1;
    public static final int RIGHT = 1 + HASH_BYTES;
    private static final int PAIR_BYTES = 1 + 2 * HASH_BYTES;

    /** The node over the pair {@code 0x01 || left || right} laid out in {@code pair} ({@link #newPair()}): one update. */
    public static void nodeHash(MessageDigest digest, byte[] pair, byte[] into, int at) {
        digest.update(pair, 0, PAIR_BYTES);
        finish(digest, into, at);
    }

    /** The node over the two hashes at {@code left[l]} and {@code right[r]}, written at {@code into[at]}. */
    public static void nodeHash(MessageDigest digest, byte[] left, int l, byte[] right, int r, byte[] into, int at) {
        digest.update((byte) 1);
        digest.update(left, l, HASH_BYTES);
        digest.update(right, r, HASH_BYTES);
        finish(digest, into, at);
    }

    private static void finish(MessageDigest digest, byte[] into, int at) {
        try {
            digest.digest(into, at, HASH_BYTES);
        } catch (DigestException e) {
            throw new IllegalStateException("no room for a hash at " + at + " of " + into.length, e);
        }
    }

    /** The largest power of two strictly below {@code n}, for n &gt; 1: where RFC 9162 splits a tree of n leaves. */
    public static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * MTH(D[from:to]) from the largest complete subtrees that the range splits into, as RFC 9162 splits it: for the
     * ranges a proof asks, every left part is a complete, aligned subtree that {@code stored} holds.
     */
    public static byte[] rangeHash(MessageDigest digest, long from, long to, Subtrees stored) {
        long n = to - from;
        if (Long.bitCount(n) == 1 && from % n == 0) {
            return stored.hash(from, to);
        }
        long k = split(n);
        return nodeHash(digest, rangeHash(digest, from, from + k, stored), rangeHash(digest, from + k, to, stored));
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves, in RFC 9162 order. */
    public static List<byte[]> inclusionPath(MessageDigest digest, long index, long size, Subtrees stored) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(digest, index, 0, size, stored, path);
        return path;
    }

    private static void path(MessageDigest digest, long m, long from, long to, Subtrees stored, List<byte[]> out) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(digest, m, from, from + k, stored, out);
            out.add(rangeHash(digest, from + k, to, stored));
        } else {
            path(digest, m - k, from + k, to, stored, out);
            out.add(rangeHash(digest, from, from + k, stored));
        }
    }

    /** The consistency proof between the trees of the first {@code first} and {@code second} leaves, 0 &lt; first &le; second. */
    public static List<byte[]> consistencyProof(MessageDigest digest, long first, long second, Subtrees stored) {
        if (first <= 0 || first > second) {
            throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(digest, first, 0, second, true, stored, proof);
        return proof;
    }

    private static void subproof(MessageDigest digest, long m, long from, long to, boolean whole, Subtrees stored,
                                 List<byte[]> out) {
        long n = to - from;
        if (m == n) {
            if (!whole) {
                out.add(rangeHash(digest, from, to, stored));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(digest, m, from, from + k, whole, stored, out);
            out.add(rangeHash(digest, from + k, to, stored));
        } else {
            subproof(digest, m - k, from + k, to, false, stored, out);
            out.add(rangeHash(digest, from, from + k, stored));
        }
    }
}
