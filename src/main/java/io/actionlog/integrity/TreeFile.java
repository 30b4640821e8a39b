package io.actionlog.integrity;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.EnumSet;

/**
 * {@code <data>/integrity/tree}: every complete subtree hash of the journal's Merkle tree, 32 bytes each, in the
 * order they complete (post-order). Leaf i is written, then each subtree that leaf completes, smallest first; so a
 * tree of n leaves takes {@code 2n - bitCount(n)} hashes, under 64 bytes an entry, and the node at level h, index k
 * sits at a place computed from (h, k) alone ({@link #slot}). Nothing in it is ever rewritten; it only grows, and is
 * cut back only to match a journal whose torn tail recovery removed.
 *
 * <p>A write that fails (a full disk) keeps its hashes in memory and is made again at the next flush, so the file
 * never has a hole; while the buffer of unwritten hashes is full, {@link #append} refuses the next leaf instead.
 *
 * <p>Threads: {@link #append}, {@link #flush} and {@link #truncate} from one thread at a time (start-up, then the
 * writer thread); they and {@link #close} are synchronized, because a stop whose writer did not finish in time
 * closes the tree while the writer thread may still append to it. Any thread may read hashes of trees up to
 * {@link #size()}: that count is published (volatile) only after the hashes below it are written to the file, and
 * reads are positional, so they never meet a half-written hash. The right edge of the tree (at most 64 hashes) is
 * the only state kept on the heap.
 */
public final class TreeFile implements AutoCloseable {
    private static final int FLUSH_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final MessageDigest digest = Merkle.sha256();
    /** {@link #append}'s: the node being made, with its left half before it (see {@link Merkle#newPair}). */
    private final byte[] pair = Merkle.newPair();
    /** frontier[h]: the complete subtree of level h at the right edge, where bit h of the pending size is set. */
    private final byte[][] frontier = new byte[64][];
    private final ByteBuffer pending = ByteBuffer.allocate(FLUSH_BYTES + 65 * Merkle.HASH_BYTES);
    /** Leaves appended, flushed or not; appending thread only. */
    private long appended;
    /** Hashes in the file; appending thread only. */
    private long stored;
    private volatile long size;

    private TreeFile(FileChannel channel, long leaves) throws IOException {
        this.channel = channel;
        this.appended = leaves;
        this.stored = nodes(leaves);
        this.size = leaves;
        loadFrontier();
    }

    /** Opens or creates the file; a partly written last leaf (a crash) is cut off. */
    public static TreeFile open(Path file) throws IOException {
        OwnerOnly.createDirectories(file.getParent());
        return open(FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OwnerOnly.file()));
    }

    /** Over a channel of the caller's (tests give one whose writes fail on demand). */
    static TreeFile open(FileChannel ch) throws IOException {
        long leaves = leavesIn(ch.size() / Merkle.HASH_BYTES);
        if (ch.size() != nodes(leaves) * Merkle.HASH_BYTES) {
            ch.truncate(nodes(leaves) * Merkle.HASH_BYTES);
        }
        return new TreeFile(ch, leaves);
    }

    /** Hashes stored for a tree of {@code leaves} leaves. */
    public static long nodes(long leaves) {
        return 2 * leaves - Long.bitCount(leaves);
    }

    /** The most leaves whose hashes fit in {@code hashes} stored hashes. */
    static long leavesIn(long hashes) {
        long n = (hashes + 64) / 2;
        while (nodes(n) > hashes) {
            n--;
        }
        return n;
    }

    /** Where the node of level {@code level}, index {@code index} is stored, counted in hashes. */
    public static long slot(int level, long index) {
        long m = (index + 1) << level;
        return nodes(m) - 1 - (Long.numberOfTrailingZeros(m) - level);
    }

    /** Leaves appended, flushed or not; appending thread only. */
    public long appended() {
        return appended;
    }

    /** Leaves whose hashes any thread may read. */
    public long size() {
        return size;
    }

    /**
     * Adds the next leaf's hash and every subtree it completes; they reach the file at the latest at flush. When a
     * full buffer cannot be written, throws and leaves the tree as it was: the leaf is not appended.
     */
    public void append(byte[] leafHash) {
        append(leafHash, 0);
    }

    /**
     * As {@link #append(byte[])} for the hash at {@code hashes[at]}. Each subtree the leaf completes is hashed in one
     * pair array, its left half copied in before the node: the writer appends a leaf per entry, and a new 32-byte
     * array per node was most of what the tree allocated.
     */
    public synchronized void append(byte[] hashes, int at) {
        if (pending.position() >= FLUSH_BYTES) {
            write();
        }
        pending.put(hashes, at, Merkle.HASH_BYTES);
        System.arraycopy(hashes, at, pair, Merkle.RIGHT, Merkle.HASH_BYTES);
        int level = 0;
        for (long i = appended; (i & 1) == 1; i >>>= 1, level++) {
            System.arraycopy(frontier[level], 0, pair, Merkle.LEFT, Merkle.HASH_BYTES);
            Merkle.nodeHash(digest, pair, pair, Merkle.RIGHT);
            pending.put(pair, Merkle.RIGHT, Merkle.HASH_BYTES);
        }
        byte[] edge = frontier[level];
        if (edge == null) {
            edge = new byte[Merkle.HASH_BYTES];
            frontier[level] = edge;
        }
        System.arraycopy(pair, Merkle.RIGHT, edge, 0, Merkle.HASH_BYTES);
        appended++;
    }

    /** Writes what was appended and lets readers see it. */
    public synchronized void flush() {
        write();
        size = appended;
        notifyAll();
    }

    /**
     * Waits, at most {@code millis}, until the tree holds {@code leaves} leaves; whether it does. An entry is in the
     * index a moment before the writer thread, in the same turn, adds it to the tree: a reader that saw it there
     * waits that moment out rather than be refused.
     */
    public boolean awaitSize(long leaves, long millis) throws InterruptedException {
        if (size >= leaves) {
            return true;
        }
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (this) {
            for (long left = millis; size < leaves && left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
                wait(left);
            }
            return size >= leaves;
        }
    }

    /** Writes the pending hashes; when that fails they stay pending, to be written again at the same place. */
    private void write() {
        ByteBuffer out = pending.duplicate().flip();
        long base = stored * Merkle.HASH_BYTES;
        try {
            while (out.hasRemaining()) {
                channel.write(out, base + out.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tree hashes not written", e);
        }
        stored += out.limit() / Merkle.HASH_BYTES;
        pending.clear();
    }

    /** The stored hash of the complete subtree of level {@code level} whose leftmost leaf is {@code level}·index. */
    public byte[] node(int level, long index) {
        ByteBuffer b = ByteBuffer.allocate(Merkle.HASH_BYTES);
        read(channel, b, slot(level, index) * Merkle.HASH_BYTES);
        return b.array();
    }

    /** Fills {@code into} from byte {@code at} of a tree file: a positional read, so any thread may make one. */
    static void read(FileChannel file, ByteBuffer into, long at) {
        try {
            while (into.hasRemaining()) {
                if (file.read(into, at + into.position()) < 0) {
                    throw new IllegalStateException("tree file ends at " + (at + into.position()) + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tree hashes not read at byte " + at + ": " + e, e);
        }
    }

    /** {@link Merkle.Subtrees} over this file: the stored node for a complete, aligned range of leaves. */
    public byte[] subtree(long from, long to) {
        int level = Long.numberOfTrailingZeros(to - from);
        return node(level, from >>> level);
    }

    /** The root hash of the tree of the first {@code leaves} leaves, {@code leaves} at most {@link #size()}. */
    public byte[] root(MessageDigest digest, long leaves) {
        if (leaves == 0) {
            return digest.digest(new byte[0]);
        }
        return Merkle.rangeHash(digest, 0, leaves, this::subtree);
    }

    /** Cuts the tree back to its first {@code leaves} leaves (a journal whose tail recovery removed). */
    public synchronized void truncate(long leaves) throws IOException {
        flush();
        if (leaves < appended) {
            channel.truncate(nodes(leaves) * Merkle.HASH_BYTES);
            appended = leaves;
            stored = nodes(leaves);
            size = leaves;
            loadFrontier();
        }
    }

    private void loadFrontier() {
        java.util.Arrays.fill(frontier, null);
        for (int h = 0; h < 63; h++) {
            if ((appended >>> h & 1) == 1) {
                frontier[h] = node(h, (appended >>> h) - 1);
            }
        }
    }

    /** Forces the hashes to the storage device. */
    public void force() throws IOException {
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
