package io.actionlog.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A cycle file's Chronicle index as the file's bytes hold it ({@link CycleLayout}): where the header of each
 * indexed entry is, by the entry's sequence number in the file. Chronicle's reads by index trust it, so a changed
 * slot sends the server's reads of that position to another entry or to none; {@link IndexAudit} compares it with
 * where the entries really are. One index array (its {@code indexCount} slots) is held at a time.
 */
final class CycleIndex implements AutoCloseable {
    private final FileChannel channel;
    private final CycleLayout layout;
    private final long count;
    /** Both settings are powers of two: an entry's slot is found by shifts, on the walk's path for every entry. */
    private final int spacingShift;
    private final int countShift;
    /** File offset of the second-level index's array code, and how many index arrays it says are in use. */
    private final long secondLevel;
    private final long arrays;
    private final ByteBuffer read;
    /** The slots of index array {@link #loaded} (-1: none). */
    private final long[] slots;
    private long loaded = -1;
    /** Why the index array that was to be loaded is none; null while every one loaded. */
    private String damage;

    private CycleIndex(FileChannel channel, CycleLayout layout, long spacing, long count, long secondLevel,
                       long arrays) {
        this.channel = channel;
        this.layout = layout;
        this.count = count;
        this.spacingShift = Long.numberOfTrailingZeros(spacing);
        this.countShift = Long.numberOfTrailingZeros(count);
        this.secondLevel = secondLevel;
        this.arrays = arrays;
        this.read = ByteBuffer.allocate((int) count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.slots = new long[(int) count];
    }

    /** Opens {@code file}'s index; an {@link IOException} that says what is wrong when it is not laid out as one. */
    static CycleIndex open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            CycleLayout layout = new CycleLayout(channel);
            byte[] store = layout.storeHeader();
            if (store == null) {
                throw new IOException("it does not start with a complete store header");
            }
            long spacing = CycleLayout.numberOf(store, "indexSpacing");
            long count = CycleLayout.numberOf(store, "indexCount");
            int index2Index = CycleLayout.valueOf(store, "index2Index", CycleLayout.INT64);
            // Chronicle takes both settings as powers of two; an index array of more than a million slots is none of
            // its settings and would only cost memory here.
            if (spacing <= 0 || Long.bitCount(spacing) != 1 || count <= 0 || Long.bitCount(count) != 1
                    || count > 1 << 20 || index2Index < 0) {
                throw new IOException("its store header gives no index (indexSpacing " + spacing + ", indexCount "
                        + count + ")");
            }
            long doc = CycleLayout.longOf(store, index2Index + 1);
            long secondLevel = doc == 0 ? -1 : layout.arrayAt(doc, CycleLayout.SECOND_LEVEL);
            if (doc != 0 && (secondLevel < 0 || layout.longAt(secondLevel + CycleLayout.CAPACITY) != count)) {
                throw new IOException("its second-level index at offset " + doc + " is not an array of " + count
                        + " offsets");
            }
            long arrays = secondLevel < 0 ? 0 : layout.longAt(secondLevel + CycleLayout.USED);
            return new CycleIndex(channel, layout, spacing, count, secondLevel, Math.max(0, Math.min(arrays, count)));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The offset the index gives for the header of the entry of {@code sequence}: 0 when the index keeps no slot for
     * it (one every {@code indexSpacing}), or its slot or the index array that would hold it is not filled in
     * (Chronicle then finds the entry by stepping from an earlier one); -1 when the second-level index points at
     * something that is not an index array ({@link #damage} says what).
     */
    long offsetOf(long sequence) {
        if ((sequence & ((1L << spacingShift) - 1)) != 0) {
            return 0;
        }
        long n = sequence >>> spacingShift;
        if (n >>> countShift == loaded) {
            return slots[(int) (n & (count - 1))];
        }
        return offsetElsewhere(n);
    }

    /** What made {@link #offsetOf} answer -1. */
    String damage() {
        return damage;
    }

    private long offsetElsewhere(long n) {
        long array = n >>> countShift;
        if (array >= arrays) {
            return 0;
        }
        try {
            load(array);
        } catch (IOException e) {
            damage = e.getMessage();
            return -1;
        }
        return slots[(int) (n & (count - 1))];
    }

    private void load(long array) throws IOException {
        loaded = -1;
        long doc = layout.longAt(secondLevel + CycleLayout.VALUES + Long.BYTES * array);
        long at = doc == 0 ? -1 : layout.arrayAt(doc, CycleLayout.INDEX);
        if (at < 0 || layout.longAt(at + CycleLayout.CAPACITY) != count) {
            throw new IOException("slot " + array + " of its second-level index gives offset " + doc
                    + ", where there is no index array of " + count + " offsets");
        }
        read.clear();
        if (!layout.read(at + CycleLayout.VALUES, read)) {
            throw new IOException("its index array at offset " + doc + " is cut short by the end of the file");
        }
        read.clear();
        read.asLongBuffer().get(slots);
        loaded = array;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
