package io.actionlog.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
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
