package io.actionlog.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Chronicle Queue cycle file's layout from its bytes, for the code that works on cycle files beside
 * Chronicle ({@link CycleFileCut}, {@link CycleIndex}). A cycle file is documents of a 4-byte little-endian header
 * (bit 31 not complete, bit 30 metadata, 30 bits of length), 4-byte aligned; the first is the store header, a
 * binary-wire map whose {@code writePosition} is a pair (the start of the last entry, and that position in the upper
 * 32 bits plus the entry's sequence number), whose {@code indexCount} and {@code indexSpacing} are the file's own
 * index settings, {@code index2Index} the offset of the second-level index and {@code lastIndex} the next sequence
 * number to index. The second-level index and each index are metadata documents holding one array of longs (code
 * {@code 0x8D}: capacity, used, values), named {@code index2index} and {@code index}: the second-level index the
 * offsets of the indexes, an index the offsets of the headers of {@code indexCount} entries, one every
 * {@code indexSpacing}.
 */
final class CycleLayout {
    static final int METADATA = 0x4000_0000;
    static final int NOT_COMPLETE = 0x8000_0000;
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    static final int LONG_ARRAY = 0x8D;
    static final int INT64 = 0xA7;
    /** An array's capacity, used count and first value, from its code. */
    static final int CAPACITY = 1;
    static final int USED = 9;
    static final int VALUES = 17;
    static final String SECOND_LEVEL = "index2index";
    static final String INDEX = "index";
    private static final int PADDING = 0x8F;
    private static final int PADDING_32 = 0x8E;
    /** How far into a document its array's code may lie (the name and the padding before it). */
    private static final int NAME_ROOM = 64;

    private final FileChannel from;

    CycleLayout(FileChannel from) {
        this.from = from;
    }

    /** The store header's map, or null when the file does not start with a complete metadata document. */
    byte[] storeHeader() throws IOException {
        if (from.size() < 4) {
            return null;
        }
        int header = intAt(0);
        if ((header & METADATA) == 0 || (header & NOT_COMPLETE) != 0 || 4L + (header & LENGTH_MASK) > from.size()) {
            return null;
        }
        return bytesAt(4, header & LENGTH_MASK);
    }

    /** The offset of the last entry the store header names, 0 when none, -1 when the header is not read. */
    long lastEntry() throws IOException {
        byte[] store = storeHeader();
        int writePosition = store == null ? -1 : valueOf(store, "writePosition", LONG_ARRAY);
        if (writePosition < 0 || writePosition + VALUES + Long.BYTES > store.length) {
            return -1;
        }
        return longOf(store, writePosition + VALUES);
    }

    /** Where the next document starts after the one at {@code at} with this header (documents are 4-byte aligned). */
    static long endOf(long at, int header) {
        long end = at + 4 + (header & LENGTH_MASK);
        return end + (-end & 3);
    }

    /**
     * Where the value of the store header's field {@code name} starts in {@code store}, given the code it must
     * have; -1 if the field is not there or its value has another code.
     */
    static int valueOf(byte[] store, String name, int code) {
        int at = fieldValue(store, name);
        return at >= 0 && at < store.length && (store[at] & 0xFF) == code ? at : -1;
    }

    /**
     * The whole number the store header's field {@code name} holds, in whichever of binary wire's integer codes
     * Chronicle chose for its size; -1 if the field is not there or holds no such number.
     */
    static long numberOf(byte[] store, String name) {
        int at = fieldValue(store, name);
        if (at < 0 || at >= store.length) {
            return -1;
        }
        int code = store[at] & 0xFF;
        if (code < 0x80) {
            return code;
        }
        int width = switch (code) {
            case 0xA1, 0xA4 -> 1;
            case 0xA2, 0xA5 -> 2;
            case 0xA3, 0xA6 -> 4;
            case INT64 -> 8;
            default -> 0;
        };
        if (width == 0 || at + 1 + width > store.length) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(store, at + 1, width).order(ByteOrder.LITTLE_ENDIAN);
        return switch (code) {
            case 0xA1 -> b.get() & 0xFF;
            case 0xA2 -> b.getShort() & 0xFFFF;
            case 0xA3 -> b.getInt() & 0xFFFF_FFFFL;
            case 0xA4 -> b.get();
            case 0xA5 -> b.getShort();
            case 0xA6 -> b.getInt();
            default -> b.getLong();
        };
    }

    private static int fieldValue(byte[] store, String name) {
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i + key.length < store.length; i++) {
            if ((store[i - 1] & 0xFF) == 0xC0 + key.length && matches(store, i, key)) {
                return skipPadding(store, i + key.length);
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

    /**
     * The file offset of the array code of the metadata document at {@code doc}, or -1 when there is none or its
     * field is not {@code name} (Chronicle reads an index only under its own name).
     */
    long arrayAt(long doc, String name) throws IOException {
        if (doc <= 0 || doc + 4 + NAME_ROOM > from.size()) {
            return -1;
        }
        int header = intAt(doc);
        if ((header & METADATA) == 0 || (header & NOT_COMPLETE) != 0) {
            return -1;
        }
        byte[] start = bytesAt(doc + 4, NAME_ROOM);
        // A field name: 0xB9 and a one-byte length, or 0xC0 + length; then padding, then the array.
        int nameAt = (start[0] & 0xFF) == 0xB9 ? 2 : (start[0] & 0xFF) >= 0xC0 ? 1 : -1;
        int length = nameAt == 2 ? start[1] & 0xFF : start[0] & 0x1F;
        byte[] key = name.getBytes(StandardCharsets.US_ASCII);
        if (nameAt < 0 || length != key.length || nameAt + length >= NAME_ROOM || !matches(start, nameAt, key)) {
            return -1;
        }
        int at = skipPadding(start, nameAt + length);
        return at >= 0 && (start[at] & 0xFF) == LONG_ARRAY ? doc + 4 + at : -1;
    }

    static long longOf(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int intAt(long at) throws IOException {
        return ByteBuffer.wrap(bytesAt(at, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    long longAt(long at) throws IOException {
        return ByteBuffer.wrap(bytesAt(at, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Reads {@code into.remaining()} bytes from {@code at}; false if the file ends first. */
    boolean read(long at, ByteBuffer into) throws IOException {
        int first = into.position();
        while (into.hasRemaining()) {
            if (from.read(into, at + into.position() - first) < 0) {
                return false;
            }
        }
        return true;
    }

    byte[] bytesAt(long at, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        if (!read(at, b)) {
            throw new IOException("cycle file ends at " + (at + b.position()) + ", before offset " + (at + n));
        }
        return b.array();
    }

    long size() throws IOException {
        return from.size();
    }
}
