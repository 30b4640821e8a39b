package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.support.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleJournalTest {

    static final long DAY_MS = 24 * 3600 * 1000L;

    @TempDir
    Path dir;

    /** A clock the tests move forward to force Chronicle to roll to a new daily cycle file. */
    final AtomicLong clock = new AtomicLong(1_763_900_000_000L);

    ChronicleJournal open(Durability durability) {
        return ChronicleJournal.open(dir, durability, new ChronicleJournal.Options(clock::get, CycleFileSync.FSYNC,
                ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE));
    }

    static List<Entry> batch(long fromPosition, int count) {
        List<Entry> entries = new ArrayList<>();
        for (long p = fromPosition; p < fromPosition + count; p++) {
            entries.add(Entries.mixed(p));
        }
        return entries;
    }

    static long cycleFiles(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void appendReturnsDensePositionsFromZero() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(0, journal.size());
            assertEquals(0, journal.append(batch(0, 3)));
            assertEquals(3, journal.append(batch(3, 1)));
            assertEquals(4, journal.append(List.of()));
            assertEquals(4, journal.size());
            for (long p = 0; p < 4; p++) {
                assertEquals(Entries.mixed(p), journal.read(p));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> journal.read(4));
            assertThrows(IndexOutOfBoundsException.class, () -> journal.read(-1));
        }
    }

    @Test
    void journalWrittenWithSparserIndexIsReadAndExtendedWithItsOwnSpacing() throws Exception {
        // Earlier versions indexed every 16th entry; their cycle files keep that spacing, new ones index every entry.
        ChronicleJournal.Options sparse = new ChronicleJournal.Options(clock::get, CycleFileSync.FSYNC,
                ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE, 16);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, sparse)) {
            journal.append(batch(0, 300));
            clock.addAndGet(DAY_MS);
            journal.append(batch(300, 200));
        }
        clock.addAndGet(DAY_MS);
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(500, journal.size());
            assertEquals(500, journal.append(batch(500, 100))); // a new cycle file, with every entry indexed
            assertEquals(3, cycleFiles(dir));
            java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            for (int i = 0; i < 2000; i++) {
                long p = random.nextLong(600);
                assertEquals(Entries.mixed(p), journal.read(p), "position " + p);
            }
            List<Long> replayed = new ArrayList<>();
            journal.replay(0, (position, entry) -> {
                assertEquals(Entries.mixed(position), entry);
                replayed.add(position);
            });
            assertEquals(600, replayed.size());
        }
    }

    @Test
    void readByPositionAcrossRollCycles() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            long position = 0;
            for (int day = 0; day < 5; day++) {
                int count = 1 + day * 100;
                assertEquals(position, journal.append(batch(position, count)));
                position += count;
                clock.addAndGet(day == 2 ? 3 * DAY_MS : DAY_MS); // a gap of days without entries too
            }
            assertEquals(5, cycleFiles(dir));
            for (long p = 0; p < position; p++) {
                assertEquals(Entries.mixed(p), journal.read(p), "position " + p);
            }
            for (long p = position - 1; p >= 0; p -= 7) {
                assertEquals(Entries.mixed(p), journal.read(p), "position " + p);
            }
        }
    }

    @Test
    void readsForwardInStepsOfAnyLengthAcrossRollCyclesAndBack() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            long position = 0;
            for (int day = 0; day < 3; day++) {
                assertEquals(position, journal.append(batch(position, 150)));
                position += 150;
                clock.addAndGet(DAY_MS);
            }
            java.util.SplittableRandom random = new java.util.SplittableRandom(3);
            for (int round = 0; round < 20; round++) {
                // Steps of 1 to 40 entries: some stepped over, some looked up, some over the end of a cycle.
                for (long p = random.nextInt(10); p < position; p += 1 + random.nextInt(round % 2 == 0 ? 10 : 40)) {
                    assertEquals(Entries.mixed(p), journal.read(p), "position " + p);
                }
                long back = random.nextLong(position);
                assertEquals(Entries.mixed(back), journal.read(back), "position " + back);
            }
        }
    }

    @Test
    void aBatchThatCrossesARollKeepsDensePositions() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(batch(0, 10));
            clock.addAndGet(DAY_MS);
            journal.append(batch(10, 10));
            assertEquals(20, journal.size());
            List<Long> seen = new ArrayList<>();
            journal.replay(0, (p, e) -> {
                assertEquals(Entries.mixed(p), e);
                seen.add(p);
            });
            assertEquals(20, seen.size());
        }
    }

    @Test
    void replayFeedsEntriesInOrder() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            long position = 0;
            for (int day = 0; day < 3; day++) {
                journal.append(batch(position, 1000));
                position += 1000;
                clock.addAndGet(DAY_MS);
            }
            List<Long> positions = new ArrayList<>();
            long fed = journal.replay(0, (p, e) -> {
                assertEquals(Entries.mixed(p), e);
                positions.add(p);
            });
            assertEquals(3000, fed);
            for (int i = 0; i < positions.size(); i++) {
                assertEquals(i, positions.get(i));
            }
            assertEquals(1500, journal.replay(1500, (p, e) -> assertEquals(Entries.mixed(p), e)));
            assertEquals(1000, journal.replay(2000, (p, e) -> assertEquals(Entries.mixed(p), e)));
            assertEquals(1, journal.replay(2999, (p, e) -> assertEquals(2999, p)));
            assertEquals(0, journal.replay(3000, (p, e) -> { throw new AssertionError(); }));
            assertThrows(IndexOutOfBoundsException.class, () -> journal.replay(3001, (p, e) -> { }));
        }
    }

    /**
     * A clock stepped back across midnight (by hand, or by a time server) would point Chronicle at the day before,
     * whose file it sealed: the journal writes on into the newest day's file until the clock passes it again, in
     * this process and after a restart.
     */
    @Test
    void aClockSteppedBackAcrossMidnightWritesOnIntoTheNewestDay() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(batch(0, 10));
            clock.addAndGet(DAY_MS);
            journal.append(batch(10, 10));
            clock.addAndGet(-DAY_MS);
            assertEquals(20, journal.append(batch(20, 10)));
        }
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(30, journal.append(batch(30, 10)));
            clock.addAndGet(2 * DAY_MS);
            assertEquals(40, journal.append(batch(40, 10)));
        }
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
            assertEquals(50, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
            assertEquals(List.of(), journal.fileProblems());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(3, files.filter(f -> f.toString().endsWith(".cq4")).count());
        }
    }

    @Test
    void reopenContinuesPositions() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(batch(0, 50));
            clock.addAndGet(DAY_MS);
            journal.append(batch(50, 50));
        }
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(100, journal.size());
            assertEquals(100, journal.append(batch(100, 10)));
            clock.addAndGet(DAY_MS);
            assertEquals(110, journal.append(batch(110, 10)));
        }
        clock.addAndGet(DAY_MS); // reopen on a later day: appends start a fourth file
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(120, journal.size());
            assertEquals(120, journal.append(batch(120, 1)));
            assertEquals(121, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
            JournalRecovery.Outcome recovery = journal.recovery();
            assertEquals(List.of(0L, false, 0, false), List.of(recovery.droppedTailBytes(),
                    recovery.metadataMovedAside(), recovery.staleLocksReleased(), recovery.cycleFileMovedAside()),
                    "nothing repaired: " + recovery);
        }
        assertEquals(4, cycleFiles(dir));
    }

    @Test
    void readsFromManyThreadsAtOnce() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(batch(0, 2000));
            clock.addAndGet(DAY_MS);
            journal.append(batch(2000, 2000));
            int threads = 8;
            CountDownLatch start = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                Thread reader = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 5000; i++) {
                            long p = (i * 7919L + seed * 104729L) % 4000;
                            assertEquals(Entries.mixed(p), journal.read(p));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            start.countDown();
            for (Thread reader : readers) {
                reader.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a reader failed", failure.get());
            }
        }
    }

    @Test
    void readersSeeEveryPositionBelowTheSizeWhileTheWriterAppends() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                for (long p = 0; p < 20_000; p += 10) {
                    if (p == 10_000) {
                        clock.addAndGet(DAY_MS);
                    }
                    journal.append(batch(p, 10));
                }
            });
            Thread reader = new Thread(() -> {
                try {
                    while (journal.size() < 20_000) {
                        long size = journal.size();
                        if (size > 0) {
                            assertEquals(Entries.mixed(size - 1), journal.read(size - 1));
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            writer.start();
            reader.start();
            writer.join();
            reader.join();
            if (failure.get() != null) {
                throw new AssertionError("the reader failed", failure.get());
            }
        }
    }

    @Test
    void secondOpenOfSameDirectoryFailsClearly() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(Durability.PROCESS));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            journal.append(batch(0, 1));
        }
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(1, journal.size());
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailClearly() {
        ChronicleJournal journal = open(Durability.OS);
        journal.append(batch(0, 3));
        journal.read(1);
        journal.close();
        journal.close();
        assertThrows(IllegalStateException.class, () -> journal.append(batch(3, 1)));
        assertThrows(IllegalStateException.class, () -> journal.read(1));
        assertThrows(IllegalStateException.class, () -> journal.replay(0, (p, e) -> { }));
    }

    @Test
    void appendIsRefusedWholeWhenTheDiskReserveIsNotFree() {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS,
                new ChronicleJournal.Options(clock::get, CycleFileSync.FSYNC, Long.MAX_VALUE / 4))) {
            JournalFullException e = assertThrows(JournalFullException.class, () -> journal.append(batch(0, 5)));
            assertTrue(e.getMessage().contains("reserve"), e.getMessage());
            assertEquals(0, journal.size());
        }
    }

    @Test
    void badEntryRejectsTheWholeBatch() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            List<Entry> entries = new ArrayList<>(batch(0, 3));
            entries.add(new Entry.StateChanged(9, 0, (byte) 77, 0, 0, null, null));
            assertThrows(IllegalArgumentException.class, () -> journal.append(entries));
            assertEquals(0, journal.size());
            assertEquals(0, journal.append(batch(0, 1)));
        }
    }

    /**
     * The data, not the files' sizes (Chronicle allocates them ahead, sparsely); a day file the journal moved on
     * from is sealed and never read again, so a measure costs the newest file's new documents, however many days.
     */
    @Test
    void dataBytesAreEachDayFilesDocumentsAndASealedFileIsReadOnce() throws Exception {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            for (int day = 0; day < 6; day++) {
                clock.addAndGet(day == 0 ? 0 : DAY_MS);
                journal.append(batch(day * 3L, 3));
            }
            long first = journal.dataBytes();
            assertEquals(6, journal.dataFilesRead());
            assertEquals(documents(), first);
            assertTrue(first > 0 && first < journal.diskBytes() / 10, first + " of " + journal.diskBytes());
            journal.append(batch(18, 5));
            long second = journal.dataBytes();
            assertEquals(1, journal.dataFilesRead(), "only the file still being written");
            assertEquals(documents(), second);
            assertTrue(second > first);
            clock.addAndGet(DAY_MS);
            journal.append(batch(23, 1));
            assertEquals(documents(), journal.dataBytes());
            assertEquals(2, journal.dataFilesRead(), "yesterday's file once more, to its seal, and today's");
            assertEquals(documents(), journal.dataBytes());
            assertEquals(1, journal.dataFilesRead());
        }
    }

    private long documents() throws Exception {
        long total = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(f)) {
                    total += JournalRecovery.endOfCompleteDocuments(c, c.size(), 0);
                }
            }
        }
        return total;
    }

    @Test
    void diskBytesCountsTheFilesInTheDirectory() {
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(batch(0, 10));
            assertTrue(journal.diskBytes() > 0);
        }
    }

    @Test
    void osSyncForcesTheCycleFilesWrittenSinceTheLastSyncAndTheDirectoryAfterARoll() throws Exception {
        List<String> forced = new CopyOnWriteArrayList<>();
        CycleFileSync.Forcer recording = (path, directory) -> {
            forced.add(directory ? "directory" : path.getFileName().toString());
            CycleFileSync.FSYNC.force(path, directory);
        };
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.OS, new ChronicleJournal.Options(
                clock::get, recording, ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE))) {
            journal.append(batch(0, 10));
            journal.sync();
            String day1 = JournalRecovery.lastCycleFile(dir).orElseThrow().getFileName().toString();
            assertEquals(List.of(day1, "directory"), forced, "a new file: the file, then its directory entry");
            forced.clear();
            journal.sync();
            assertEquals(List.of(), forced, "nothing written, nothing forced");
            journal.append(batch(10, 5));
            journal.sync();
            assertEquals(List.of(day1), forced);
            forced.clear();
            journal.append(batch(15, 5));
            clock.addAndGet(DAY_MS);
            journal.append(batch(20, 5));
            journal.sync();
            String day2 = JournalRecovery.lastCycleFile(dir).orElseThrow().getFileName().toString();
            assertEquals(List.of(day1, day2, "directory"), forced, "both files of a batch that rolled");
            forced.clear();
        }
        assertEquals(List.of(), forced, "close syncs, but everything was synced");
    }

    @Test
    void processModeSyncForcesNothing() {
        List<Path> forced = new CopyOnWriteArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, new ChronicleJournal.Options(
                clock::get, (path, directory) -> forced.add(path), ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE))) {
            journal.append(batch(0, 10));
            journal.sync();
        }
        assertEquals(List.of(), forced);
    }

    @Test
    void durabilityIsReadFromItsConfigValue() {
        assertEquals(Durability.PROCESS, Durability.of("process"));
        assertEquals(Durability.OS, Durability.of(" OS "));
        assertEquals("os", Durability.OS.configValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durability.of("fsync"));
        assertTrue(e.getMessage().contains("'fsync'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durability.of(null));
    }

    /**
     * A typical entry takes, on disk, the values no numbering can avoid (its uuid, path, new object, body and
     * metadata: 71 bytes here) plus at most 49 bytes: 37 of codec framing (version, type and flags 3; id 3; one code
     * byte for each of the 8 repeated values it reuses and for the parents' count 9; the object's definition code,
     * number and length 5; the lengths of path, body, logs, error and metadata 5; state 1; start date 7; CRC-32C 4)
     * and 12 of Chronicle (a 4-byte header and an 8-byte index slot). The figure is exact, so a change to the
     * codec or to Chronicle's settings that costs bytes shows here.
     */
    @Test
    void aTypicalEntryTakesItsOwnValuesAndAtMost49BytesMoreOnDisk() throws Exception {
        int n = 20_000;
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            journal.append(List.of(Entries.typical(0)));
            long before = JournalFiles.dataEnd(JournalFiles.lastCycleFile(dir));
            Entries.appendInBatches(journal, n, Entries::typical);
            double perEntry = (JournalFiles.dataEnd(JournalFiles.lastCycleFile(dir)) - before) / (double) n;
            Entry.Created typical = Entries.typical(1);
            ActionData data = typical.data();
            int ownValues = 16 + data.path().length() + data.object().length() + data.body().length()
                    + typical.metadata().length();
            assertEquals(71, ownValues);
            assertTrue(perEntry <= ownValues + 49, perEntry + " bytes per entry");
        }
    }

    @Test
    void aWalkOverManyEntriesThatDoNotDecodeNamesTheFirstFewAndCountsTheRest() throws Exception {
        // The first entry defines the user every later one refers to by number: damaged, none of the 40 decodes.
        try (ChronicleJournal journal = open(Durability.PROCESS)) {
            for (long id = 1; id <= 40; id++) {
                journal.append(List.of(Entries.typical(id)));
            }
        }
        Path file = JournalFiles.lastCycleFile(dir);
        byte[] bytes = Files.readAllBytes(file);
        int at = Entries.indexOf(bytes, "alice.tamm".getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'A'}), at);
        }
        try (LogCapture log = LogCapture.of(ChronicleReader.class.getName());
             ChronicleJournal journal = open(Durability.PROCESS)) {
            assertEquals(0, journal.replay(0, (p, e) -> { }));
            assertEquals(ChronicleReader.LOGGED_CORRUPT, log.messages().stream()
                    .filter(m -> m.contains("skips a corrupt")).count(), log.messages().toString());
            assertTrue(log.any("skipped 40 corrupt entries and fed 0"), log.messages().toString());
        }
    }
}
