package io.actionlog.files;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A POSIX ustar archive written a chunk at a time: each call gives the next piece of at most about
 * {@link #CHUNK_BYTES} (a member's header, a part of its content, the padding to 512 bytes), and null after the two
 * zero blocks that end the archive. A member's content is in memory or the first {@code length} bytes of a file,
 * read as the archive gets to it. Names must be ASCII and at most 100 bytes. Used by one thread at a time.
 */
public final class TarStream implements Callable<Buffer> {
    public static final int CHUNK_BYTES = 256 * 1024;
    private static final int BLOCK = 512;

    /** A member: a name, permission bits, and its bytes (in memory, or the first {@code length} bytes of a file). */
    public record Member(String name, int mode, byte[] bytes, Path file, long length, long modifiedSeconds) {
        public static Member of(String name, int mode, byte[] bytes, long modifiedSeconds) {
            return new Member(name, mode, bytes, null, bytes.length, modifiedSeconds);
        }

        public static Member ofFile(String name, int mode, Path file, long length, long modifiedSeconds) {
            return new Member(name, mode, null, file, length, modifiedSeconds);
        }
    }

    private final Deque<Member> members;
    private Member current;
    private FileChannel channel;
    private long sent;
    private boolean ended;

    public TarStream(List<Member> members) {
        for (Member m : members) {
            if (m.name().length() > 100 || !StandardCharsets.US_ASCII.newEncoder().canEncode(m.name())) {
                throw new IllegalArgumentException("tar member name must be ASCII of at most 100 bytes: " + m.name());
            }
        }
        this.members = new ArrayDeque<>(members);
    }

    @Override
    public Buffer call() throws IOException {
        if (current == null) {
            if (members.isEmpty()) {
                if (ended) {
                    return null;
                }
                ended = true;
                return Buffer.buffer(new byte[2 * BLOCK]);
            }
            current = members.poll();
            sent = 0;
            return Buffer.buffer(header(current));
        }
        if (sent < current.length()) {
            return content();
        }
        closeFile();
        int pad = (int) (-current.length() & (BLOCK - 1));
        current = null;
        return pad == 0 ? call() : Buffer.buffer(new byte[pad]);
    }

    private Buffer content() throws IOException {
        int n = (int) Math.min(CHUNK_BYTES, current.length() - sent);
        byte[] piece = new byte[n];
        if (current.bytes() != null) {
            System.arraycopy(current.bytes(), (int) sent, piece, 0, n);
        } else {
            if (channel == null) {
                channel = FileChannel.open(current.file(), StandardOpenOption.READ);
            }
            ByteBuffer into = ByteBuffer.wrap(piece);
            while (into.hasRemaining()) {
                if (channel.read(into, sent + into.position()) < 0) {
                    throw new IOException(current.file() + " ended before its " + current.length() + " bytes");
                }
            }
        }
        sent += n;
        return Buffer.buffer(piece);
    }

    /** Closes the file being read, if any; after a failure or once the archive is complete. */
    public void closeFile() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    static byte[] header(Member m) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, m.name());
        octal(h, 100, 8, m.mode());
        octal(h, 108, 8, 0); // uid
        octal(h, 116, 8, 0); // gid
        octal(h, 124, 12, m.length());
        octal(h, 136, 12, m.modifiedSeconds());
        h[156] = '0'; // a regular file
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, int width, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, Math.min(b.length, width));
    }

    /** {@code width - 1} octal digits, zero-padded, then a NUL. */
    private static void octal(byte[] h, int at, int width, long v) {
        String digits = Long.toOctalString(v);
        if (digits.length() > width - 1) {
            throw new IllegalArgumentException("tar field too small for " + v);
        }
        put(h, at, width - 1, "0".repeat(width - 1 - digits.length()) + digits);
        h[at + width - 1] = 0;
    }
}
