package io.actionlog.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * Where this node stands in the topic, kept beside its journal in {@code <data>/cluster/position}: the topic's id,
 * the offset of the next command to apply, and the journal size that applying every command before it gave,
 * recorded after each command. At start, a journal of exactly that size resumes at that offset; a longer one holds
 * entries of the command at that offset, which the node stopped in ({@link Resume}); anything else means the local
 * copy is rebuilt from the topic.
 *
 * <p>One fixed record of 44 bytes, written in place with one write and a CRC-32C: a process that is killed leaves
 * the old record or the new one (the page cache keeps a completed write); a torn record after a power loss fails its
 * checksum, which also means rebuilding. Written on the writer thread, in the follower's batches.
 */
final class NodePosition implements AutoCloseable {
    static final String FILE = "position";
    private static final int MAGIC = 0x414c4b50;
    private static final int SIZE = 4 + 16 + 8 + 8 + 4 + 4;

    /** What the file says, or why it cannot be trusted. */
    record Stored(UUID topicId, long nextOffset, long journalSize) {
    }

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(SIZE);
    private final CRC32C crc = new CRC32C();

    private NodePosition(FileChannel channel) {
        this.channel = channel;
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("cluster").resolve(FILE);
    }

    /** The record in the file, or null when there is no file or its record is torn or of another format. */
    static Stored read(Path dataDir) throws IOException {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        CRC32C check = new CRC32C();
        check.update(bytes, 0, SIZE - 4);
        if (b.getInt() != MAGIC || b.getInt(SIZE - 4) != (int) check.getValue()) {
            return null;
        }
        return new Stored(new UUID(b.getLong(), b.getLong()), b.getLong(), b.getLong());
    }

    static NodePosition open(Path dataDir) throws IOException {
        Path file = file(dataDir);
        Files.createDirectories(file.getParent());
        return new NodePosition(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ));
    }

    void write(UUID topicId, long nextOffset, long journalSize) throws IOException {
        buffer.clear();
        buffer.putInt(MAGIC).putLong(topicId.getMostSignificantBits()).putLong(topicId.getLeastSignificantBits())
                .putLong(nextOffset).putLong(journalSize).putInt(0);
        crc.reset();
        crc.update(buffer.array(), 0, SIZE - 4);
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        int at = 0;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Forces the record to disk: at a clean stop, and when the journal's durability mode asks for it. */
    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
