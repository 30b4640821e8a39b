package io.actionlog.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy of the first {@code n} entries of a cycle file that the writer may still be appending to, made from the
 * file's bytes: everything up to the end of entry {@code n - 1}, with the store header and the index patched to
 * count exactly {@code n} entries, as if the writer had stopped there. Appending the entries again, one document at
 * a time, cost ten times as long.
 *
 * <p>The layout is Chronicle Queue's (a cycle file of {@link ChronicleJournal}'s settings, every entry indexed):
 * documents of a 4-byte little-endian header (bit 30 metadata, 30 bits of length) and 4-byte alignment; the first
 * is the store header, a binary-wire map whose {@code writePosition} is a pair (the start of the last entry, and
 * that position in the upper 32 bits plus the entry's sequence number), whose {@code index2Index} is the offset of
 * the second-level index and {@code lastIndex} the next sequence number to index. The second-level index and each
 * index are metadata documents holding one array of longs (code {@code 0x8D}: capacity, used, values): the
 * second-level index the offsets of the indexes, an index the offsets of {@code indexCount} entries. The entries
 * before {@code n} and their index slots never change once written, so the copy reads them while the writer goes on
 * (an index is written just after its first entry: when that is the copy's last, the copy takes the index too);
 * what it writes is its own: the header's values, the slots past {@code n - 1} zeroed, the used counts. Anything
 * that is not that layout makes {@link #copy} answer -1, and the caller copies another way; {@code JournalCopy}
 * also checks the result through Chronicle before using it.
 */
final class CycleFileCut {
    private static final int METADATA = 0x4000_0000;
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int LONG_ARRAY = 0x8D;
    private static final int PADDING = 0x8F;
    private static final int PADDING_32 = 0x8E;
    private static final int INT64 = 0xA7;
    /** How far into a document its array's code may lie (the name and the padding before it). */
    private static final int NAME_ROOM = 64;

    private final FileChannel from;
    private final ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    private CycleFileCut(FileChannel from) {
        this.from = from;
    }

    /**
     * Writes the copy of {@code live}'s first {@code n} (at least 1) entries to {@code target} and returns its
     * length; -1, with {@code target} possibly half-written, when the file is not laid out as expected.
     */
    static long copy(Path live, long n, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(live, StandardOpenOption.READ)) {
            return new CycleFileCut(in).copyTo(n, target);
        }
    }

    private long copyTo(long n, Path target) throws IOException {
        int header = intAt(0);
        if ((header & METADATA) == 0 || (header & NOT_COMPLETE) != 0) {
            return -1;
        }
        byte[] store = bytesAt(4, header & LENGTH_MASK);
        int writePosition = valueOf(store, "writePosition", LONG_ARRAY);
        int index2Index = valueOf(store, "index2Index", INT64);
        int lastIndex = valueOf(store, "lastIndex", INT64);
        if (writePosition < 0 || index2Index < 0 || lastIndex < 0 || longOf(store, writePosition + 1) != 2) {
            return -1;
        }
        long secondLevel = arrayAt(longOf(store, index2Index + 1));
        long capacity = secondLevel < 0 ? 0 : longAt(secondLevel + 1);
        if (capacity <= 0 || (n - 1) / capacity >= capacity) {
            return -1;
        }
        long indexDoc = longAt(secondLevel + 17 + 8 * ((n - 1) / capacity));
        long indexAt = arrayAt(indexDoc);
        if (indexAt < 0 || longAt(indexAt + 1) != capacity) {
            return -1;
        }
        int slot = (int) ((n - 1) % capacity);
        long last = longAt(indexAt + 17 + 8L * slot);
        int lastHeader = last <= 0 ? 0 : intAt(last);
        if (lastHeader == 0 || (lastHeader & (METADATA | NOT_COMPLETE)) != 0) {
            return -1;
        }
        long end = endOf(last, lastHeader);
        if (indexDoc >= end) {
            // The first entry of an index is written before the index itself: then the copy ends after the index.
            if (slot != 0 || indexDoc != end) {
                return -1;
            }
            end = endOf(indexDoc, intAt(indexDoc));
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < end; ) {
                at += from.transferTo(at, end - at, out);
            }
            // The header's values, then the slots of entries past the copy's last, which the writer may have filled.
            long at = 4 + writePosition + 17;
            putLong(out, at, last);
            putLong(out, at + 8, (last << 32) + (n - 1));
            putLong(out, 4 + lastIndex + 1, n);
            long arrays = (n - 1) / capacity + 1;
            putLong(out, secondLevel + 9, arrays);
            zero(out, secondLevel + 17 + 8 * arrays, capacity - arrays);
            putLong(out, indexAt + 9, slot + 1);
            zero(out, indexAt + 17 + 8L * (slot + 1), capacity - slot - 1);
        }
        return end;
    }

    /** Where the next document starts after the one at {@code at} with this header (documents are 4-byte aligned). */
    private static long endOf(long at, int header) {
        long end = at + 4 + (header & LENGTH_MASK);
        return end + (-end & 3);
    }

    /**
     * Where the value of the store header's field {@code name} starts in {@code store}, given the code it must
     * have; -1 if the field is not there or its value has another code.
     */
    private static int valueOf(byte[] store, String name, int code) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i + key.length < store.length; i++) {
            if ((store[i - 1] & 0xFF) == 0xC0 + key.length && matches(store, i, key)) {
                int at = skipPadding(store, i + key.length);
                return at >= 0 && at < store.length && (store[at] & 0xFF) == code ? at : -1;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] store, int at, byte[] key) {
        for (int k = 0; k < key.length; k++) {
            if (store[at + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static int skipPadding(byte[] b, int at) {
        while (at < b.length) {
            int c = b[at] & 0xFF;
            if (c == PADDING) {
                at++;
            } else if (c == PADDING_32 && at + 5 <= b.length) {
                at += 5 + ByteBuffer.wrap(b, at + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            } else {
                return at;
            }
        }
        return -1;
    }

    /** The file offset of the array code of the metadata document at {@code doc}, or -1. */
    private long arrayAt(long doc) throws IOException {
        if (doc <= 0 || doc + 4 + NAME_ROOM > from.size()) {
            return -1;
        }
        int header = intAt(doc);
        if ((header & METADATA) == 0 || (header & NOT_COMPLETE) != 0) {
            return -1;
        }
        byte[] start = bytesAt(doc + 4, NAME_ROOM);
        // A field name: 0xB9 and a one-byte length, or 0xC0 + length; then padding, then the array.
        int nameEnd = (start[0] & 0xFF) == 0xB9 ? 2 + start[1] : (start[0] & 0xFF) >= 0xC0 ? 1 + (start[0] & 0x1F) : -1;
        int at = nameEnd < 0 || nameEnd >= NAME_ROOM ? -1 : skipPadding(start, nameEnd);
        return at >= 0 && (start[at] & 0xFF) == LONG_ARRAY ? doc + 4 + at : -1;
    }

    private static long longOf(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private int intAt(long at) throws IOException {
        return ByteBuffer.wrap(bytesAt(at, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private long longAt(long at) throws IOException {
        return ByteBuffer.wrap(bytesAt(at, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private byte[] bytesAt(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (from.read(b, at + b.position()) < 0) {
                throw new IOException("cycle file ends at " + (at + b.position()) + ", before offset " + (at + n));
            }
        }
        return b.array();
    }

    private void putLong(FileChannel out, long at, long v) throws IOException {
        word.clear();
        word.putLong(0, v);
        while (word.hasRemaining()) {
            out.write(word, at + word.position());
        }
    }

    /** Zeroes {@code count} longs from {@code at}. */
    private static void zero(FileChannel out, long at, long count) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(count * 8, 1 << 20));
        for (long left = count * 8, pos = at; left > 0; ) {
            zeros.clear().limit((int) Math.min(left, zeros.capacity()));
            int w = out.write(zeros, pos);
            pos += w;
            left -= w;
        }
    }
}
