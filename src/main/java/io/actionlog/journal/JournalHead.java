package io.actionlog.journal;

import io.actionlog.action.ActionField;
import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@code head.dat} in the journal directory: where the journal starts once retention dropped its oldest cycle files.
 * It holds the position of the first kept entry, the name of the first kept cycle file, and every repeated value
 * numbered so far ({@link ValueTable}): kept entries may use numbers that only dropped entries defined. Absent: the
 * journal starts at position 0 with its first cycle file. Format 1: {@code u32 version | u64 first position |
 * UTF first file | per repeated field: u32 count, per number: bool defined, UTF value | u32 CRC-32C of what precedes}.
 *
 * <p>A drop writes this file (atomically) before it deletes a cycle file, so a crash between the two leaves files
 * that the head already excludes; {@link #removeDropped} deletes them at the next open, before Chronicle sees them.
 * Writer thread (drop) and the opening thread only.
 */
final class JournalHead {
    static final String FILE = "head.dat";
    private static final int VERSION = 1;

    final long firstPosition;
    final String firstFile;

    private JournalHead(long firstPosition, String firstFile) {
        this.firstPosition = firstPosition;
        this.firstFile = firstFile;
    }

    static final JournalHead NONE = new JournalHead(0, null);

    /** Reads the head file, teaching {@code values} the numbers it lists; {@link #NONE} when there is none. */
    static JournalHead read(Path dir, ValueTable values) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return NONE;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 4);
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalStateException(file + ": unknown head format " + version);
            }
            long first = in.readLong();
            String firstFile = in.readUTF();
            for (ActionField field : ActionField.values()) {
                if (field.repeated()) {
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        if (in.readBoolean()) {
                            values.learn(field, i, in.readUTF());
                        }
                    }
                }
            }
            if (in.readInt() != (int) crc.getValue()) {
                throw new IllegalStateException(file + ": checksum mismatch; the journal cannot tell where it starts");
            }
            return new JournalHead(first, firstFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** The first position a head file names, read without its values (which can be many). */
    static long firstPosition(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalStateException(file + ": unknown head format " + version);
            }
            return in.readLong();
        }
    }

    /** Records that the journal now starts at {@code first}, in cycle file {@code firstFile}. */
    static JournalHead write(Path dir, long first, String firstFile, ValueTable values) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeLong(first);
            out.writeUTF(firstFile);
            for (ActionField field : ActionField.values()) {
                if (field.repeated()) {
                    int n = values.count(field);
                    out.writeInt(n);
                    for (int i = 0; i < n; i++) {
                        String v = values.known(field, i);
                        out.writeBoolean(v != null);
                        if (v != null) {
                            out.writeUTF(v);
                        }
                    }
                }
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            AtomicFiles.replace(dir.resolve(FILE), bytes.toByteArray(), OwnerOnly.file());
            return new JournalHead(first, firstFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e, e);
        }
    }

    /** Cycle files older than the first kept one: what a drop interrupted by a crash left. Their names sort by day. */
    List<Path> dropped(Path dir) {
        List<Path> older = new ArrayList<>();
        if (firstFile == null) {
            return older;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(JournalRecovery.CYCLE_SUFFIX))
                    .filter(f -> f.getFileName().toString().compareTo(firstFile) < 0)
                    .sorted().forEach(older::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
        return older;
    }

    /** Deletes the cycle files a drop excluded; run before the queue is built on the directory. */
    void removeDropped(Path dir) {
        for (Path f : dropped(dir)) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete dropped cycle file " + f + ": " + e, e);
            }
        }
    }
}
