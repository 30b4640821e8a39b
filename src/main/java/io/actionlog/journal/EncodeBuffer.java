package io.actionlog.journal;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A growable byte array that entries are encoded into, reused batch after batch by its owning thread so that
 * encoding allocates nothing once it has grown to the largest batch. Its primitives are the ones the
 * {@link EntryCodec} layout is made of: zigzag LEB128 varints, strings as varint(UTF-8 length + 1) and bytes (0 is
 * null), lists as varint(size + 1) and strings, UUIDs as 16 big-endian bytes, and a little-endian CRC-32C trailer.
 */
public final class EncodeBuffer {
    private final CRC32C crc = new CRC32C();
    private byte[] bytes;
    private int length;

    public EncodeBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    public void clear() {
        length = 0;
    }

    private void ensure(int more) {
        if (bytes.length - length < more) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("entry batch larger than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }

    void u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    void varLong(long value) {
        unsignedVarLong((value << 1) ^ (value >> 63));
    }

    /** An unsigned varint: a size, a code or a number. */
    void count(long v) {
        unsignedVarLong(v);
    }

    private void unsignedVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            bytes[length++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        bytes[length++] = (byte) v;
    }

    /** A time the flags announced as present, relative to {@code base}. */
    void time(long time, long base) {
        if (time != Entry.NO_TIME) {
            varLong(time - base);
        }
    }

    void uuid(UUID uuid) {
        if (uuid != null) {
            ensure(16);
            longBE(uuid.getMostSignificantBits());
            longBE(uuid.getLeastSignificantBits());
        }
    }

    private void longBE(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (v >>> shift);
        }
    }

    void strings(List<String> list) {
        if (list == null) {
            unsignedVarLong(0);
            return;
        }
        unsignedVarLong(list.size() + 1L);
        for (String s : list) {
            string(s);
        }
    }

    void string(String s) {
        if (s == null) {
            unsignedVarLong(0);
            return;
        }
        int utf8 = Utf8.length(s);
        unsignedVarLong(utf8 + 1L);
        ensure(utf8);
        length = Utf8.encode(s, bytes, length);
    }

    void checksum(int start) {
        crc.reset();
        crc.update(bytes, start, length - start);
        int value = (int) crc.getValue();
        ensure(EntryCodec.CHECKSUM_BYTES);
        for (int i = 0; i < EntryCodec.CHECKSUM_BYTES; i++) {
            bytes[length++] = (byte) (value >>> (8 * i));
        }
    }
}
