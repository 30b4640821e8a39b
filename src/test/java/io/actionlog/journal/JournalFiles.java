package io.actionlog.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a closed journal's files and data end are, for tests elsewhere that damage them on purpose. */
public final class JournalFiles {
    public static final String METADATA_FILE = JournalRecovery.METADATA_FILE;

    private JournalFiles() {
    }

    public static Path lastCycleFile(Path journalDir) throws IOException {
        return JournalRecovery.lastCycleFile(journalDir).orElseThrow();
    }

    /** The offset just after the last complete document of a cycle file. */
    public static long dataEnd(Path cycleFile) throws IOException {
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            return JournalRecovery.endOfCompleteDocuments(channel, channel.size(), 0);
        }
    }

    /**
     * The file offset of slot {@code n} of the first index array of a cycle file (the slot of the entry of sequence
     * {@code n} when every entry is indexed), found through the file's own layout.
     */
    public static long indexSlot(Path cycleFile, long n) throws IOException {
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            return firstIndexArray(new CycleLayout(channel)) + CycleLayout.VALUES + Long.BYTES * n;
        }
    }

    /** The file offset of the second-level index's first value: the offset of the first index array. */
    public static long secondLevelSlot(Path cycleFile) throws IOException {
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            return secondLevel(new CycleLayout(channel)) + CycleLayout.VALUES;
        }
    }

    private static long secondLevel(CycleLayout layout) throws IOException {
        byte[] store = layout.storeHeader();
        int index2Index = CycleLayout.valueOf(store, "index2Index", CycleLayout.INT64);
        return layout.arrayAt(CycleLayout.longOf(store, index2Index + 1), CycleLayout.SECOND_LEVEL);
    }

    private static long firstIndexArray(CycleLayout layout) throws IOException {
        return layout.arrayAt(layout.longAt(secondLevel(layout) + CycleLayout.VALUES), CycleLayout.INDEX);
    }

    /**
     * The file offset of the value of the store header's field {@code name} (after its binary-wire code: for
     * {@code writePosition} the array's capacity, for {@code lastIndex} the number).
     */
    public static long storeField(Path cycleFile, String name) throws IOException {
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            byte[] store = new CycleLayout(channel).storeHeader();
            int at = name.equals("writePosition") ? CycleLayout.valueOf(store, name, CycleLayout.LONG_ARRAY)
                    : CycleLayout.valueOf(store, name, CycleLayout.INT64);
            if (at < 0) {
                throw new IOException("no field " + name + " in the store header of " + cycleFile);
            }
            return 4 + at + 1; // the document's 4-byte header, then the code
        }
    }

    /** Where {@code needle} first occurs in {@code haystack} (a cycle file's bytes), or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        return Entries.indexOf(haystack, needle);
    }
}
