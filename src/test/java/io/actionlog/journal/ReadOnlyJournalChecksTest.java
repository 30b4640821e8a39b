package io.actionlog.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only journal ({@code verify}'s) checks what its walk alone would not see: that each cycle file's Chronicle
 * index says where every entry is (the walk steps from entry to entry, while the server's reads by position follow
 * the index), and that no cycle file lies outside the listing it reads (a server start reads every file).
 */
class ReadOnlyJournalChecksTest {
    private static final long DAY_MS = 24 * 3600 * 1000L;
    private static final long START_MS = 1_763_900_000_000L;

    @TempDir
    Path dir;
    private final AtomicLong clock = new AtomicLong(START_MS);
    private Path firstFile;

    /** Two days of entries, 300 and 200. */
    @BeforeEach
    void write() throws Exception {
        try (ChronicleJournal journal = open()) {
            journal.append(ChronicleJournalTest.batch(0, 300));
            clock.addAndGet(DAY_MS);
            journal.append(ChronicleJournalTest.batch(300, 200));
        }
        firstFile = dir.resolve(ChronicleJournal.cycleFileName((int) (START_MS / DAY_MS)));
        assertTrue(Files.exists(firstFile));
    }

    private ChronicleJournal open() {
        return ChronicleJournal.open(dir, Durability.PROCESS, new ChronicleJournal.Options(clock::get,
                CycleFileSync.FSYNC, ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE));
    }

    /** Walks the whole journal read-only, checking every entry read; returns what the walk found in the indexes. */
    private List<String> walkReadOnly() {
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
            List<Long> positions = new ArrayList<>();
            journal.replay(0, (position, entry) -> {
                assertEquals(Entries.mixed(position), entry);
                positions.add(position);
            });
            assertEquals(500, positions.size());
            return journal.fileProblems();
        }
    }

    private long longAt(Path file, long at) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, at);
            return b.getLong(0);
        }
    }

    private void putLong(Path file, long at, long value) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), at);
        }
    }

    @Test
    void anUntouchedJournalsIndexesAgreeWithItsEntries() {
        assertEquals(List.of(), walkReadOnly());
    }

    @Test
    void aFileWrittenWithASparserIndexIsCheckedAtItsOwnSpacing() throws Exception {
        // Earlier versions indexed every 16th entry; those files keep that spacing in their header.
        clock.addAndGet(DAY_MS);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, new ChronicleJournal.Options(
                clock::get, CycleFileSync.FSYNC, ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE, 16))) {
            journal.append(ChronicleJournalTest.batch(500, 100));
        }
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
            assertEquals(600, journal.replay(0, (position, entry) -> assertEquals(Entries.mixed(position), entry)));
            assertEquals(List.of(), journal.indexProblems());
        }
    }

    @Test
    void aSlotThatPointsAtAnotherEntryIsNamedWhileTheWalkReadsOn() throws Exception {
        long slot10 = JournalFiles.indexSlot(firstFile, 10);
        long entry10 = longAt(firstFile, slot10);
        long entry11 = longAt(firstFile, slot10 + 8);
        putLong(firstFile, slot10, entry11);
        putLong(firstFile, slot10 + 8, entry10);

        List<String> problems = walkReadOnly();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cycle file " + firstFile + ": its index gives offset " + entry11
                + " for entry 10 of the file (journal position 10), whose header is at offset " + entry10
                + ", and 1 more of its slots are wrong"), problems.get(0));

        // Why it matters: the server's reads by position follow the index, to the other entry.
        try (ChronicleJournal journal = open()) {
            assertEquals(Entries.mixed(200), journal.read(200));
            assertEquals(Entries.mixed(11), journal.read(10));
        }
    }

    /**
     * The store header's last entry and next index, and the indexes' used counts, only save Chronicle steps: set back
     * (damage, or a hand that edits them), they mislead no read by position, and the next append goes after the real
     * last entry, over a slot set past it. So {@code verify} need not check them.
     */
    @Test
    void storeHeaderAndUsedCountsSetBackMisleadNoReadNorAppend() throws Exception {
        Path lastFile = JournalFiles.lastCycleFile(dir);
        long writePosition = JournalFiles.storeField(lastFile, "writePosition");
        long entry50 = longAt(lastFile, JournalFiles.indexSlot(lastFile, 50));
        assertEquals(longAt(lastFile, JournalFiles.indexSlot(lastFile, 199)), longAt(lastFile, writePosition + 16),
                "writePosition names the last entry");
        putLong(lastFile, writePosition + 16, entry50);
        putLong(lastFile, writePosition + 24, entry50 << 32 | 50);
        putLong(lastFile, JournalFiles.storeField(lastFile, "lastIndex"), 51);
        putLong(lastFile, JournalFiles.indexSlot(lastFile, 0) - 8, 51);
        putLong(lastFile, JournalFiles.secondLevelSlot(lastFile) - 8, 0);
        putLong(lastFile, JournalFiles.indexSlot(lastFile, 201), entry50); // a slot past the last entry

        assertEquals(List.of(), walkReadOnly());
        try (ChronicleJournal journal = open()) {
            for (long position : new long[] {0, 299, 300, 351, 499}) {
                assertEquals(Entries.mixed(position), journal.read(position));
            }
            journal.append(ChronicleJournalTest.batch(500, 2));
            assertEquals(Entries.mixed(500), journal.read(500));
            assertEquals(Entries.mixed(501), journal.read(501));
        }
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
            assertEquals(502, journal.replay(0, (position, entry) -> assertEquals(Entries.mixed(position), entry)));
            assertEquals(List.of(), journal.fileProblems());
        }
    }

    /** Set forward, past the entries, the store header's last entry stops a read-only walk and a start's replay. */
    @Test
    void aStoreHeaderNamingALastEntryPastTheEntriesIsRefused() throws Exception {
        Path lastFile = JournalFiles.lastCycleFile(dir);
        long writePosition = JournalFiles.storeField(lastFile, "writePosition");
        long past = JournalFiles.dataEnd(lastFile) + 4096;
        putLong(lastFile, writePosition + 16, past);
        putLong(lastFile, writePosition + 24, past << 32 | 210);

        IllegalStateException readOnly = assertThrows(IllegalStateException.class, () -> {
            try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
                journal.replay(0, (position, entry) -> { });
            }
        });
        assertTrue(readOnly.getMessage().contains(lastFile.getFileName().toString()), readOnly.getMessage());
        IllegalStateException start = assertThrows(IllegalStateException.class, () -> {
            try (ChronicleJournal journal = open()) {
                journal.replay(0, (position, entry) -> { });
            }
        });
        assertTrue(start.getMessage().contains(lastFile.getFileName().toString()), start.getMessage());
    }

    @Test
    void anEmptySlotIsNoDamage() throws Exception {
        putLong(firstFile, JournalFiles.indexSlot(firstFile, 10), 0);
        assertEquals(List.of(), walkReadOnly());
        // Chronicle finds the entry by stepping from an earlier one.
        try (ChronicleJournal journal = open()) {
            assertEquals(Entries.mixed(200), journal.read(200));
            assertEquals(Entries.mixed(10), journal.read(10));
        }
    }

    @Test
    void aSecondLevelSlotThatPointsAtNoIndexArrayIsNamed() throws Exception {
        long second = JournalFiles.secondLevelSlot(firstFile);
        putLong(firstFile, second, longAt(firstFile, second) + 64);
        List<String> problems = walkReadOnly();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("slot 0 of its second-level index gives offset"), problems.get(0));
    }

    @Test
    void anIndexArrayUnderAnotherNameIsNamed() throws Exception {
        // Chronicle reads an index array only under its name: renamed, every read by position in the file fails.
        byte[] bytes = Files.readAllBytes(firstFile);
        byte[] name = {(byte) 0xB9, 5, 'i', 'n', 'd', 'e', 'x'};
        int at = JournalFiles.indexOf(bytes, name);
        assertTrue(at > 0 && at < JournalFiles.indexSlot(firstFile, 0), "the first index array's name");
        try (FileChannel ch = FileChannel.open(firstFile, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'h'}), at + 2);
        }
        List<String> problems = walkReadOnly();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("where there is no index array of 16384 offsets"), problems.get(0));
    }

    @Test
    void cycleFilesOutsideTheListingAreRefusedAndLeftAsTheyAre() throws Exception {
        // A copy of the last day's file under the next day's name, and under the day before the first: a read-only
        // queue reads only the days metadata.cq4t lists, a server start all of them.
        int firstCycle = (int) (START_MS / DAY_MS);
        Path lastFile = dir.resolve(ChronicleJournal.cycleFileName(firstCycle + 1));
        for (int cycle : new int[] {firstCycle + 2, firstCycle - 1}) {
            Path copy = dir.resolve(ChronicleJournal.cycleFileName(cycle));
            Files.copy(lastFile, copy);
            List<String> before = listing();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ChronicleJournal.openReadOnly(dir).close());
            assertTrue(e.getMessage().contains("holds cycle files that metadata.cq4t does not list, ["
                    + copy.getFileName() + "]"), e.getMessage());
            assertEquals(before, listing());
            Files.delete(copy);
        }
        assertEquals(List.of(), walkReadOnly());
    }

    /** Past a day's entries, its index and its end-of-file seal, no server writes: bytes there hide unseen. */
    @Test
    void bytesPastTheEntriesOfAnEarlierDaysFileAreNamed() throws Exception {
        long hiddenAt = Files.size(firstFile) - 4096;
        try (FileChannel ch = FileChannel.open(firstFile, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("hidden".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), hiddenAt);
        }
        List<String> problems = walkReadOnly();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("cycle file " + firstFile + ": the bytes from offset " + hiddenAt
                + " to its end"), problems.get(0));
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
