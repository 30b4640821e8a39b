package io.actionlog.integrity;

import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.JournalFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** What an attacker with write access to a stopped server's journal could do, done by the tests. */
public final class JournalEdits {
    private JournalEdits() {
    }

    /**
     * Changes one byte of {@code text} where it is stored in a cycle file, and recomputes the CRC-32C of the entry
     * around it, so that the journal reads back without complaint.
     */
    public static void changeByteOfText(Path journalDir, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(journalDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                int at = JournalFiles.indexOf(bytes, needle);
                if (at >= 0) {
                    int[] doc = document(bytes, at);
                    bytes[at + needle.length - 1] ^= 1;
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, doc[0], doc[1] - 4);
                    ByteBuffer.wrap(bytes, doc[0] + doc[1] - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(bytes, doc[0], doc[1]), doc[0]);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("text not found in the journal: " + text);
    }

    /** {start, length} of the entry (a Chronicle document's payload) holding offset {@code at}, found by its CRC. */
    private static int[] document(byte[] bytes, int at) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int header = at - 4; header >= 0; header--) {
            int length = b.getInt(header) & 0x3FFF_FFFF;
            int start = header + 4;
            if (length >= 8 && start + length > at && start + length <= bytes.length) {
                CRC32C crc = new CRC32C();
                crc.update(bytes, start, length - 4);
                if ((int) crc.getValue() == b.getInt(start + length - 4)) {
                    return new int[] {start, length};
                }
            }
        }
        throw new IllegalStateException("no entry found around offset " + at);
    }

    /** Flips a bit of the stored hash at {@code slot} of a tree file; flipping it again undoes it. */
    static void flipStoredHash(Path tree, long slot) throws IOException {
        try (FileChannel ch = FileChannel.open(tree, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = slot * Merkle.HASH_BYTES + 5;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, at);
        }
    }

    /** Rewrites the journal with its entries as {@code edit} returns them: what a rewrite with the codec does. */
    static void rewrite(Path journalDir, UnaryOperator<List<Entry>> edit) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Journal j = ChronicleJournal.open(journalDir, Durability.PROCESS)) {
            j.replay(0, (position, entry) -> entries.add(entry));
        }
        deleteTree(journalDir);
        try (Journal j = ChronicleJournal.open(journalDir, Durability.PROCESS)) {
            j.append(edit.apply(entries));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                if (!p.getFileName().toString().equals("server.lock")) {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                }
            }
        }
    }
}
