package io.actionlog.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Damages a closed journal's files with plain NIO (or kills a writer) and checks what reopening makes of it. */
class JournalRecoveryTest {

    static final long DAY_MS = 24 * 3600 * 1000L;

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(1_763_900_000_000L);

    ChronicleJournal open() {
        return ChronicleJournal.open(dir, Durability.PROCESS, new ChronicleJournal.Options(clock::get,
                CycleFileSync.FSYNC, ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE));
    }

    /** Writes entries for positions 0..count-1 over two daily cycle files, and closes the journal. */
    void writeJournal(int count) {
        try (ChronicleJournal journal = open()) {
            journal.append(ChronicleJournalTest.batch(0, count / 2));
            clock.addAndGet(DAY_MS);
            journal.append(ChronicleJournalTest.batch(count / 2, count - count / 2));
        }
    }

    /** Reopens, checks every entry is intact and that appends continue at the next position, twice over. */
    void assertIntactAndAppendable(int count) {
        for (int reopen = 0; reopen < 2; reopen++) {
            try (ChronicleJournal journal = open()) {
                long size = count + reopen;
                assertEquals(size, journal.size());
                assertEquals(size, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
                assertEquals(size, journal.append(List.of(Entries.mixed(size))));
                assertEquals(Entries.mixed(size), journal.read(size));
            }
        }
    }

    Path lastCycleFile() throws Exception {
        return JournalRecovery.lastCycleFile(dir).orElseThrow();
    }

    long dataEnd(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return JournalRecovery.endOfCompleteDocuments(channel, channel.size(), 0);
        }
    }

    static void write(Path file, long offset, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    static byte[] header(int value, int payloadBytes, long seed) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + payloadBytes).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
        byte[] payload = new byte[payloadBytes];
        new Random(seed).nextBytes(payload);
        return buffer.put(payload).array();
    }

    @Test
    void theWalkFindsTheEndAcrossItsReadWindowsAndOverDocumentsLargerThanOne() throws Exception {
        Path file = dir.resolve("walk.bin");
        Random rnd = new Random(3);
        long pos = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 60_000; i++) {
                // Mostly small documents, a few of several MiB, so that headers land on and across window edges.
                int length = i % 9_000 == 0 ? (5 << 20) + rnd.nextInt(64) : 1 + rnd.nextInt(300);
                channel.write(ByteBuffer.wrap(header(length, 0, i)), pos);
                pos += 4 + length;
                pos += -pos & 3;
            }
            channel.write(ByteBuffer.wrap(header(0x8000_0000 | 40, 40, 9)), pos); // a writer died inside this one
            channel.write(ByteBuffer.wrap(new byte[4096]), pos + 44);
        }
        assertTrue(pos > 3 * (4 << 20), "the file spans several windows");
        assertEquals(pos, dataEnd(file));
    }

    @Test
    void aCleanCloseLetsTheNextOpenCheckTheLastFileFromWhereItsEntriesEnded() throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        Path record = dir.resolve(JournalRecovery.CHECKED_TAIL_FILE);
        assertTrue(Files.exists(record), "a clean close leaves the record");
        long end = dataEnd(file);
        try (ChronicleJournal journal = open()) {
            assertEquals(end, journal.recovery().tailCheckedFrom(), journal.recovery().toString());
            assertFalse(Files.exists(record), "taken away at open, so that a crash leads to the full check");
            journal.append(List.of(Entries.mixed(100)));
        }
        long later = dataEnd(file);
        assertTrue(later > end);
        try (ChronicleJournal journal = open()) {
            assertEquals(later, journal.recovery().tailCheckedFrom(), "the record follows what the session appended");
            assertEquals(101, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
        }
        assertIntactAndAppendable(101);
    }

    @Test
    void aRecordThatDoesNotMatchTheFileOrCannotBeReadIsIgnored() throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        Path record = dir.resolve(JournalRecovery.CHECKED_TAIL_FILE);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
        try (ChronicleJournal journal = open()) {
            assertEquals(0, journal.recovery().tailCheckedFrom(), "the file changed after the record was written");
        }
        Files.writeString(record, "not a record");
        try (ChronicleJournal journal = open()) {
            assertEquals(0, journal.recovery().tailCheckedFrom());
            assertFalse(Files.exists(record));
        }
        String[] fields = Files.readString(record).strip().split(" ");
        Files.writeString(record, fields[0] + " " + fields[1] + " " + fields[2] + " " + (Long.parseLong(fields[1]) + 8));
        try (ChronicleJournal journal = open()) {
            assertEquals(0, journal.recovery().tailCheckedFrom(), "an end past the file's size is no record");
        }
        assertIntactAndAppendable(100);
    }

    @Test
    void tornLastEntryIsSkippedOnOpen() throws Exception {
        writeJournal(100);
        Process child = startTornWriter();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the torn writer did not finish");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("torn"), "child output: " + out);
        try (ChronicleJournal journal = open()) {
            JournalRecovery.Outcome recovery = journal.recovery();
            assertTrue(recovery.droppedTailBytes() > 0, recovery.toString());
            assertEquals(1, recovery.staleLocksReleased(), recovery.toString());
            assertEquals(100, journal.size());
        }
        assertIntactAndAppendable(100);
    }

    @Test
    void aTornWriteCutAtStartIsNoFileCutShortLaterOn() throws Exception {
        writeJournal(100);
        Process child = startTornWriter();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the torn writer did not finish");
        Path torn = lastCycleFile();
        try (ChronicleJournal journal = open()) {
            assertTrue(journal.recovery().droppedTailBytes() > 0, journal.recovery().toString());
        }
        // Closed with nothing appended, the file ends where the cut was; then it is no longer the last day's.
        assertEquals(null, CycleFileEnds.cutShort(torn), "size " + Files.size(torn));
        try (ChronicleJournal journal = open()) {
            assertEquals(100, journal.size());
        }
        clock.addAndGet(DAY_MS);
        try (ChronicleJournal journal = open()) {
            assertEquals(100, journal.append(List.of(Entries.mixed(100))));
        }
        try (ChronicleJournal journal = ChronicleJournal.openReadOnly(dir)) {
            assertEquals(101, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
        }
    }

    @Test
    void aCycleFileCutInsideItsEntriesIsNamedAndTheStartRefusedWithNothingChanged() throws Exception {
        writeJournal(100);
        Path middle = JournalRecovery.lastCycleFile(dir).orElseThrow();
        clock.addAndGet(DAY_MS);
        try (ChronicleJournal journal = open()) {
            journal.append(List.of(Entries.mixed(100)));
        }
        long cut = dataEnd(middle) / 2;
        try (FileChannel ch = FileChannel.open(middle, StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        String refused = assertThrows(IllegalStateException.class, this::open).getMessage();
        assertTrue(refused.contains("cycle file " + middle + " is cut short: it is " + cut + " bytes"), refused);
        assertTrue(refused.contains("the server does not start on it"), refused);
        assertEquals(cut, Files.size(middle));
        String read = assertThrows(IllegalStateException.class, () -> ChronicleJournal.openReadOnly(dir))
                .getMessage();
        assertTrue(read.contains("cycle file " + middle + " is cut short") && read.endsWith("nothing was changed"),
                read);
    }

    private Process startTornWriter() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-D")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TornWriter.class.getName(),
                dir.toString(), Long.toString(clock.get())));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    }

    @Test
    void incompleteHeaderWrittenByHandIsTruncated() throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        long end = dataEnd(file);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
        write(file, end, header(0x8000_0000 | 200, 120, 1)); // "not complete", 200 bytes announced, 120 written
        // With the file's time put back, the record of the clean close still matches: the check starts at its end
        // and still finds the torn entry after it (a crash, which leaves no record, is the torn writer's test).
        Files.setLastModifiedTime(file, modified);
        try (ChronicleJournal journal = open()) {
            assertEquals(end, journal.recovery().tailCheckedFrom(), "the record was taken");
            assertTrue(journal.recovery().droppedTailBytes() > 0);
        }
        assertEquals(end, dataEnd(file));
        assertIntactAndAppendable(100);
    }

    @Test
    void garbageTailIsTruncatedAndAppendsContinue() throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        long end = dataEnd(file);
        long size = Files.size(file);
        byte[] garbage = new byte[5000];
        new Random(3).nextBytes(garbage);
        write(file, size, garbage); // appended past Chronicle's preallocated end
        write(file, end, header(0x3FFF_FFF0, 300, 4)); // a "complete" header whose length runs past the file
        try (ChronicleJournal journal = open()) {
            JournalRecovery.Outcome recovery = journal.recovery();
            assertEquals(size + garbage.length - end, recovery.droppedTailBytes(), recovery.toString());
            assertEquals(100, journal.size());
        }
        assertIntactAndAppendable(100);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate(garbage.length);
            channel.read(tail, size);
            assertTrue(isZero(tail.array()) || channel.size() <= size, "the garbage is gone from the file");
        }
        // What was cut is kept beside the file, up to its last non-zero byte: it may be evidence, not a torn write.
        Path aside;
        try (var files = Files.list(file.getParent())) {
            aside = files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".cut-"))
                    .findFirst().orElseThrow();
        }
        byte[] kept = Files.readAllBytes(aside);
        assertEquals(size + garbage.length - end, kept.length);
        assertEquals(java.util.Arrays.toString(header(0x3FFF_FFF0, 300, 4)),
                java.util.Arrays.toString(java.util.Arrays.copyOf(kept, header(0x3FFF_FFF0, 300, 4).length)));
        assertEquals(java.util.Arrays.toString(garbage), java.util.Arrays.toString(
                java.util.Arrays.copyOfRange(kept, (int) (size - end), kept.length)));
    }

    @Test
    void aLoneNonZeroByteFarIntoTheZerosAfterTheEntriesIsFoundAndCut() throws Exception {
        // Past the scan's first read window, and not at the start of one of the pieces it compares.
        assertLoneByteCut(end -> end + (1 << 20) + (65 << 10) + 3);
    }

    @Test
    void aNonZeroLastByteOfTheFileIsFoundAndCut() throws Exception {
        assertLoneByteCut(end -> -1L);
    }

    /** {@code where}: the offset of the byte given the entries' end, or -1 for the file's last byte. */
    private void assertLoneByteCut(java.util.function.LongUnaryOperator where) throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        long end = dataEnd(file);
        long size = Files.size(file);
        long at = where.applyAsLong(end) < 0 ? size - 1 : where.applyAsLong(end);
        write(file, at, new byte[] {7});
        try (ChronicleJournal journal = open()) {
            assertEquals(size - end, journal.recovery().droppedTailBytes(), journal.recovery().toString());
            assertEquals(100, journal.size());
        }
        assertIntactAndAppendable(100);
    }

    @Test
    void garbageThatLooksLikeADocumentIsSkippedByReplay() throws Exception {
        writeJournal(100);
        Path file = lastCycleFile();
        write(file, dataEnd(file), header(24, 24, 5)); // a complete 24-byte document that is no entry
        try (ChronicleJournal journal = open()) {
            assertEquals(0, journal.recovery().droppedTailBytes(), "complete documents are never dropped");
            assertEquals(101, journal.size(), "the garbage keeps a position");
            List<Long> fed = new ArrayList<>();
            assertEquals(100, journal.replay(0, (p, e) -> fed.add(p)));
            assertEquals(99L, fed.get(fed.size() - 1));
            CorruptEntryException e = assertThrows(CorruptEntryException.class, () -> journal.read(100));
            assertTrue(e.getMessage().contains("position 100"), e.getMessage());
            assertEquals(101, journal.append(List.of(Entries.mixed(101))));
            assertEquals(Entries.mixed(101), journal.read(101));
        }
        try (ChronicleJournal journal = open()) {
            assertEquals(102, journal.size());
            assertEquals(101, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
        }
    }

    @Test
    void missingMetadataFileIsRebuilt() throws Exception {
        writeJournal(100);
        Files.delete(dir.resolve(JournalRecovery.METADATA_FILE));
        assertIntactAndAppendable(100);
    }

    @Test
    void emptyMetadataFileIsRebuilt() throws Exception {
        writeJournal(100);
        Files.write(dir.resolve(JournalRecovery.METADATA_FILE), new byte[0]);
        assertIntactAndAppendable(100);
    }

    @Test
    void unreadableMetadataFileIsMovedAsideAndRebuilt() throws Exception {
        writeJournal(100);
        Path metadata = dir.resolve(JournalRecovery.METADATA_FILE);
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
            channel.truncate(100);
        }
        try (ChronicleJournal journal = open()) {
            assertTrue(journal.recovery().metadataMovedAside());
            assertEquals(100, journal.size());
        }
        assertIntactAndAppendable(100);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("metadata.cq4t.corrupt-")));
        }
    }

    @Test
    void metadataFileWithoutItsHeaderIsMovedAsideAndRebuilt() throws Exception {
        // Zeroed where its header is, the file still opens as a table store, but one of no queue's metadata.
        writeJournal(100);
        Path metadata = dir.resolve(JournalRecovery.METADATA_FILE);
        try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4096), 0);
        }
        try (ChronicleJournal journal = open()) {
            assertTrue(journal.recovery().metadataMovedAside());
            assertEquals(100, journal.size());
        }
        assertIntactAndAppendable(100);
    }

    @Test
    void cycleFileWithoutAStoreHeaderIsSetAside() throws Exception {
        writeJournal(100);
        String next = lastCycleFile().getFileName().toString().replace("24F", "25F"); // the next day
        Files.write(dir.resolve(next), header(0x8000_0000 | 40, 4000, 6));
        try (ChronicleJournal journal = open()) {
            assertTrue(journal.recovery().cycleFileMovedAside());
        }
        assertFalse(Files.exists(dir.resolve(next)));
        assertIntactAndAppendable(100);
    }

    @Test
    void emptyCycleFileForANewDayIsHarmless() throws Exception {
        writeJournal(100);
        String next = lastCycleFile().getFileName().toString().replace("24F", "25F");
        Files.write(dir.resolve(next), new byte[0]);
        clock.addAndGet(DAY_MS);
        assertIntactAndAppendable(100);
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }


    @Test
    void aSealedFileThatBecomesTheLastIsWholeAndNothingIsCut() throws Exception {
        // The older day's file ends with Chronicle's seal: an end-of-file header and "EOF" after it. A newest file
        // without a header (killed as it was made) is moved aside by a start, and the sealed file is then the last.
        writeJournal(200);
        Path newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.filter(f -> f.toString().endsWith(".cq4")).max(Path::compareTo).orElseThrow();
        }
        Files.write(newest, new byte[0]);
        for (int start = 0; start < 2; start++) {
            try (ChronicleJournal journal = open()) {
                assertEquals(0, journal.recovery().droppedTailBytes(), journal.recovery().toString());
                assertEquals(100, journal.replay(0, (p, e) -> assertEquals(Entries.mixed(p), e)));
            }
        }
        assertEquals(null, JournalRecovery.inspect(dir).damage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().contains(".cut-")).toList());
        }
    }

    @Test
    void aStoreHeaderThatCountsFewerEntriesThanItsFileHoldsIsRefused() throws Exception {
        // Zeroed, the write position of the last file's header makes Chronicle count none of its 50 entries: opened,
        // the journal hid them, and the next append went after them while reads of its position found the first.
        writeJournal(100);
        Path last = JournalRecovery.lastCycleFile(dir).orElseThrow();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(16), 0x40);
        }
        byte[] before = Files.readAllBytes(last);
        IllegalStateException readOnly = assertThrows(IllegalStateException.class,
                () -> ChronicleJournal.openReadOnly(dir).close());
        assertTrue(readOnly.getMessage().contains(last + " holds 50 complete entries, but its store header counts 0"),
                readOnly.getMessage());
        IllegalStateException writable = assertThrows(IllegalStateException.class, () -> open().close());
        assertTrue(writable.getMessage().contains("the server does not start on it"), writable.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(last)), "nothing appended");
    }
}
