package io.actionlog.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.actionlog.support.Await;
import io.actionlog.support.LogCapture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCopyTest {
    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(1_763_900_000_000L);

    ChronicleJournal open(Path at) {
        return ChronicleJournal.open(at, Durability.PROCESS, new ChronicleJournal.Options(clock::get,
                CycleFileSync.FSYNC, 0));
    }

    /** Puts the copy's files into a fresh journal directory, each cut at its length, as a restore does. */
    static void restore(JournalCopy copy, Path into) throws Exception {
        Files.createDirectories(into);
        for (JournalCopy.CopiedFile f : copy.files()) {
            try (FileChannel in = FileChannel.open(f.path()); FileChannel out = FileChannel.open(
                    into.resolve(f.name()), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                assertEquals(f.length(), in.transferTo(0, f.length(), out));
            }
        }
    }

    /** Copies the journal's first {@code size} entries, checking the open file was cut, not appended again. */
    static void copyAndRestore(ChronicleJournal journal, long size, Path scratch, Path into) throws Exception {
        try (LogCapture log = LogCapture.of(JournalCopy.class.getName());
             JournalCopy copy = journal.copy(size, 0, scratch)) {
            restore(copy, into);
            assertFalse(log.any("did not check out"), String.join("\n", log.messages()));
        }
    }

    /** A restored journal holds exactly the entries {@code [0, size)} and goes on from there, across a reopen. */
    void assertRestored(Path restored, long size) {
        try (ChronicleJournal journal = open(restored)) {
            assertEquals(size, journal.size());
            assertEquals(Entries.mixed(0), journal.read(0));
            assertEquals(Entries.mixed(size - 1), journal.read(size - 1));
            assertEquals(size, journal.append(ChronicleJournalTest.batch(size, 3)));
        }
        try (ChronicleJournal journal = open(restored)) {
            assertEquals(size + 3, journal.size());
            for (long p = Math.max(0, size - 20); p < size + 3; p++) {
                assertEquals(Entries.mixed(p), journal.read(p));
            }
            long[] fed = {0};
            journal.replay(0, (p, e) -> fed[0]++);
            assertEquals(size + 3, fed[0]);
        }
    }

    @Test
    void theOpenFileIsCutAtAnyEntryAroundTheEdgesOfItsIndexes() throws Exception {
        Path live = dir.resolve("live");
        int perIndex = ChronicleJournal.INDEX_COUNT;
        try (ChronicleJournal journal = open(live)) {
            journal.append(ChronicleJournalTest.batch(0, 1));
            copyAndRestore(journal, 1, dir.resolve("s1"), dir.resolve("r1"));
            for (long p = 1; p < 2L * perIndex + 10; p += 4096) {
                journal.append(ChronicleJournalTest.batch(p, (int) Math.min(4096, 2L * perIndex + 10 - p)));
            }
            for (long size : new long[] {perIndex - 1, perIndex, perIndex + 1, 2L * perIndex, 2L * perIndex + 1}) {
                copyAndRestore(journal, size, dir.resolve("s" + size), dir.resolve("r" + size));
            }
        }
        assertRestored(dir.resolve("r1"), 1);
        for (long size : new long[] {perIndex - 1, perIndex, perIndex + 1, 2L * perIndex, 2L * perIndex + 1}) {
            assertRestored(dir.resolve("r" + size), size);
        }
    }

    @Test
    void aCutInTheMiddleOfTheOpenFileWhileAWriterAppendsHoldsEveryEntryBelowItAndNothingAfter() throws Exception {
        Path live = dir.resolve("live");
        AtomicBoolean stop = new AtomicBoolean();
        long size;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (ChronicleJournal journal = open(live)) {
            // Appends are the writer thread's alone (Chronicle confines an appender to a thread): all of them there.
            Thread writer = new Thread(() -> {
                try {
                    for (long p = 0; !stop.get() && p < 2_000_000; p += 10) {
                        journal.append(ChronicleJournalTest.batch(p, 10));
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            writer.start();
            try {
                Await.until(journal::size, n -> n > 20_000 || failed.get() != null, 60, "the writer appends");
                size = journal.size();
                copyAndRestore(journal, size, dir.resolve("s"), dir.resolve("r"));
                long copied = size;
                Await.until(journal::size, n -> n > copied + 1000 || failed.get() != null, 60,
                        "the writer goes on after the copy");
            } finally {
                stop.set(true);
                writer.join();
            }
            assertEquals(null, failed.get());
        }
        assertRestored(dir.resolve("r"), size);
    }

    /**
     * A drop writes the head file naming the journal's new start a moment before the journal starts there: a copy
     * made in that moment would carry a head that does not match the start it is taken with (the backup's tree and
     * manifest), so it is refused as a read that a drop overtook, to be made again, and leaves nothing behind.
     */
    @Test
    void aCopyThatMeetsTheHeadOfADropUnderWayIsRefused() throws Exception {
        Path live = dir.resolve("live");
        try (ChronicleJournal journal = open(live)) {
            for (int day = 0; day < 3; day++) {
                journal.append(ChronicleJournalTest.batch(journal.size(), 10));
                clock.addAndGet(ChronicleJournalTest.DAY_MS);
            }
            long[] segments = journal.segments();
            journal.drop(segments[1], () -> { });
            String lastFile;
            try (var files = Files.list(live)) {
                lastFile = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted()
                        .reduce((a, b) -> b).orElseThrow();
            }
            JournalHead.write(live, segments[2], lastFile, new ValueTable());

            Path scratch = dir.resolve("s");
            assertThrows(PositionDroppedException.class, () -> journal.copy(journal.size(), 0, scratch).close());
            assertFalse(Files.exists(scratch), "no scratch files left");
        }
    }

    @Test
    void aCopyTakenJustAfterTheDayRolledSendsTheClosedFileWhole() throws Exception {
        Path live = dir.resolve("live");
        try (ChronicleJournal journal = open(live)) {
            journal.append(ChronicleJournalTest.batch(0, 300));
            clock.addAndGet(ChronicleJournalTest.DAY_MS);
            journal.append(ChronicleJournalTest.batch(300, 5)); // the new day's file, past the copy's size
            try (JournalCopy copy = journal.copy(300, 0, dir.resolve("s"))) {
                assertEquals(1, copy.files().size());
                JournalCopy.CopiedFile closed = copy.files().get(0);
                assertTrue(java.nio.file.Files.isSameFile(live.resolve(closed.name()), closed.path()),
                        "the closed file as it is, linked");
                restore(copy, dir.resolve("r"));
            }
        }
        assertRestored(dir.resolve("r"), 300);
    }

    @Test
    void aCopyHoldsExactlyTheEntriesBelowItsSizeWhileTheWriterGoesOn() throws Exception {
        Path live = dir.resolve("live");
        try (ChronicleJournal journal = open(live)) {
            journal.append(ChronicleJournalTest.batch(0, 300));
            clock.addAndGet(ChronicleJournalTest.DAY_MS);
            journal.append(ChronicleJournalTest.batch(300, 200));
            clock.addAndGet(ChronicleJournalTest.DAY_MS);
            journal.append(ChronicleJournalTest.batch(500, 150));
            try (JournalCopy copy = journal.copy(600, 0, dir.resolve("scratch"))) {
                journal.append(ChronicleJournalTest.batch(650, 50)); // after the copy's size, in its open file
                assertEquals(3, copy.files().size());
                assertTrue(copy.files().get(0).length() < Files.size(copy.files().get(0).path()),
                        "a closed file is sent up to its data's end, not its sparse size");
                restore(copy, dir.resolve("restored"));
            }
            assertFalse(Files.exists(dir.resolve("scratch")), "closing the copy removes its scratch files");
        }
        try (ChronicleJournal restored = open(dir.resolve("restored"))) {
            assertEquals(600, restored.size());
            for (long p = 0; p < 600; p++) {
                assertEquals(Entries.mixed(p), restored.read(p));
            }
            long[] fed = {0};
            restored.replay(0, (p, e) -> fed[0]++);
            assertEquals(600, fed[0]);
            assertEquals(600, restored.append(ChronicleJournalTest.batch(600, 5)));
            assertEquals(Entries.mixed(603), restored.read(603));
        }
    }

    @Test
    void anIncrementalCopyHoldsTheFilesWithEntriesFromItsStartAndCompletesAnEarlierCopy() throws Exception {
        Path live = dir.resolve("live");
        Path restored = dir.resolve("restored");
        try (ChronicleJournal journal = open(live)) {
            journal.append(ChronicleJournalTest.batch(0, 100));
            clock.addAndGet(ChronicleJournalTest.DAY_MS);
            journal.append(ChronicleJournalTest.batch(100, 100));
            try (JournalCopy full = journal.copy(150, 0, dir.resolve("s1"))) {
                restore(full, restored);
            }
            journal.append(ChronicleJournalTest.batch(200, 10));
            clock.addAndGet(ChronicleJournalTest.DAY_MS);
            journal.append(ChronicleJournalTest.batch(210, 40));
            try (JournalCopy since = journal.copy(250, 150, dir.resolve("s2"))) {
                assertEquals(2, since.files().size(), "the day of entry 150 and the next");
                restore(since, restored);
            }
        }
        try (ChronicleJournal journal = open(restored)) {
            assertEquals(250, journal.size());
            for (long p = 0; p < 250; p++) {
                assertEquals(Entries.mixed(p), journal.read(p));
            }
        }
    }
}
