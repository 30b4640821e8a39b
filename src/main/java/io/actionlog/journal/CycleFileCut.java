package io.actionlog.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy of the first {@code n} entries of a cycle file that the writer may still be appending to, made from the
 * file's bytes: everything up to the end of entry {@code n - 1}, with the store header and the index patched to
 * count exactly {@code n} entries, as if the writer had stopped there. Appending the entries again, one document at
 * a time, cost ten times as long.
 *
 * <p>The layout is read through {@link CycleLayout}. The entries before {@code n} and their index slots never change
 * once written, so the copy reads them while the writer goes on (an index is written just after its first entry:
 * when that is the copy's last, the copy takes the index too); what it writes is its own: the header's values, the
 * slots past {@code n - 1} zeroed, the used counts. Anything that is not that layout makes {@link #copy} answer -1,
 * and the caller copies another way; {@code JournalCopy} also checks the result through Chronicle before using it.
 */
final class CycleFileCut {
    private final FileChannel from;
    private final CycleLayout layout;
    private final ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    private CycleFileCut(FileChannel from) {
        this.from = from;
        this.layout = new CycleLayout(from);
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
        byte[] store = layout.storeHeader();
        if (store == null) {
            return -1;
        }
        int writePosition = CycleLayout.valueOf(store, "writePosition", CycleLayout.LONG_ARRAY);
        int index2Index = CycleLayout.valueOf(store, "index2Index", CycleLayout.INT64);
        int lastIndex = CycleLayout.valueOf(store, "lastIndex", CycleLayout.INT64);
        if (writePosition < 0 || index2Index < 0 || lastIndex < 0
                || CycleLayout.longOf(store, writePosition + CycleLayout.CAPACITY) != 2) {
            return -1;
        }
        long secondLevel = layout.arrayAt(CycleLayout.longOf(store, index2Index + 1), CycleLayout.SECOND_LEVEL);
        long capacity = secondLevel < 0 ? 0 : layout.longAt(secondLevel + CycleLayout.CAPACITY);
        if (capacity <= 0 || (n - 1) / capacity >= capacity) {
            return -1;
        }
        long indexDoc = layout.longAt(secondLevel + CycleLayout.VALUES + 8 * ((n - 1) / capacity));
        long indexAt = layout.arrayAt(indexDoc, CycleLayout.INDEX);
        if (indexAt < 0 || layout.longAt(indexAt + CycleLayout.CAPACITY) != capacity) {
            return -1;
        }
        int slot = (int) ((n - 1) % capacity);
        long last = layout.longAt(indexAt + CycleLayout.VALUES + 8L * slot);
        int lastHeader = last <= 0 ? 0 : layout.intAt(last);
        if (lastHeader == 0 || (lastHeader & (CycleLayout.METADATA | CycleLayout.NOT_COMPLETE)) != 0) {
            return -1;
        }
        long end = CycleLayout.endOf(last, lastHeader);
        if (indexDoc >= end) {
            // The first entry of an index is written before the index itself: then the copy ends after the index.
            if (slot != 0 || indexDoc != end) {
                return -1;
            }
            end = CycleLayout.endOf(indexDoc, layout.intAt(indexDoc));
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < end; ) {
                at += from.transferTo(at, end - at, out);
            }
            // The header's values, then the slots of entries past the copy's last, which the writer may have filled.
            long at = 4 + writePosition + CycleLayout.VALUES;
            putLong(out, at, last);
            putLong(out, at + 8, (last << 32) + (n - 1));
            putLong(out, 4 + lastIndex + 1, n);
            long arrays = (n - 1) / capacity + 1;
            putLong(out, secondLevel + CycleLayout.USED, arrays);
            zero(out, secondLevel + CycleLayout.VALUES + 8 * arrays, capacity - arrays);
            putLong(out, indexAt + CycleLayout.USED, slot + 1);
            zero(out, indexAt + CycleLayout.VALUES + 8L * (slot + 1), capacity - slot - 1);
        }
        return end;
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
