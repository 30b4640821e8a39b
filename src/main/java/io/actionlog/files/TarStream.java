package io.actionlog.files;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A POSIX ustar archive written a chunk at a time: each call fills the room of the chunk it is given (members'
 * headers, their content, the padding to 512 bytes, and at the end the two zero blocks), and writes nothing once
 * the archive is complete. A member's content is in memory or the first {@code length} bytes of a file,
 * read as the archive gets to it, straight into the chunk (a direct buffer: one copy from the page cache). Names
 * must be ASCII and at most 100 bytes. Used by one thread at a time.
 */
public final class TarStream {
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

    /**
     * Writes the archive's next bytes into {@code chunk}, within its capacity (it does not grow: a larger chunk
     * means larger reads of the files); false once the archive is complete.
     */
    public boolean next(ByteBuf chunk) throws IOException {
        int start = chunk.writerIndex();
        // Room for the longest piece that is not content: the two end blocks.
        while (chunk.writableBytes() >= 2 * BLOCK && !ended) {
            if (current == null) {
                startMember(chunk);
            } else if (sent < current.length()) {
                content(chunk, chunk.writableBytes());
            } else {
                closeFile();
                chunk.writeZero((int) (-current.length() & (BLOCK - 1)));
                current = null;
            }
        }
        return chunk.writerIndex() > start;
    }

    /** The next member's header, or the two zero blocks that end the archive. */
    private void startMember(ByteBuf chunk) {
        current = members.poll();
        if (current == null) {
            chunk.writeZero(2 * BLOCK);
            ended = true;
            return;
        }
        sent = 0;
        chunk.writeBytes(header(current));
    }

    private void content(ByteBuf chunk, int room) throws IOException {
        int n = (int) Math.min(room, current.length() - sent);
        if (current.bytes() != null) {
            chunk.writeBytes(current.bytes(), (int) sent, n);
            sent += n;
            return;
        }
        if (channel == null) {
            channel = FileChannel.open(current.file(), StandardOpenOption.READ);
        }
        int read = chunk.writeBytes(channel, sent, n);
        if (read < 0) {
            throw new IOException(current.file() + " ended before its " + current.length() + " bytes");
        }
        sent += read;
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
