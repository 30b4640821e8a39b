package io.actionlog.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Prints the journal's figures (see the class doc of ChronicleJournal); asserts only correctness, never time. */
class JournalPerformanceTest {

    static final int ENTRIES = 1_000_000;
    static final long DAY_MS = 24 * 3600 * 1000L;

    @TempDir
    Path dir;

    final AtomicLong clock = new AtomicLong(1_763_900_000_000L);

    ChronicleJournal open(Path path) {
        return ChronicleJournal.open(path, Durability.PROCESS, new ChronicleJournal.Options(clock::get,
                CycleFileSync.FSYNC, ChronicleJournal.DEFAULT_FREE_SPACE_RESERVE));
    }

    @Test
    void printsBytesPerEntryOnDisk() throws Exception {
        int n = 100_000;
        try (ChronicleJournal journal = open(dir)) {
            journal.append(List.of(Entries.typical(0)));
            long before = dataEnd(dir);
            append(journal, n, Entries::typical);
            double perEntry = (dataEnd(dir) - before) / (double) n;
            System.out.printf("disk: typical Created (%d bytes as JSON) takes %.2f bytes in the cycle file, "
                    + "Chronicle header and index included%n", Entries.json(Entries.typical(1)).length(), perEntry);
        }
    }

    @Test
    void printsReplayRates() {
        replayRate(dir.resolve("small"), "small entries (LogAppended, ~30 bytes)",
                id -> Entries.logAppended(id, id - 1));
        replayRate(dir.resolve("typical"), "typical Created entries (~110 bytes)", Entries::typical);
    }

    private void replayRate(Path path, String what, java.util.function.LongFunction<Entry> entry) {
        try (ChronicleJournal journal = open(path)) {
            Stopwatch appending = new Stopwatch();
            append(journal, ENTRIES, entry);
            System.out.printf("append: %,d %s in batches of 1000: %s%n", ENTRIES, what, appending.rate(ENTRIES));
            for (int round = 1; round <= 3; round++) {
                long[] checksum = {0};
                Stopwatch replaying = new Stopwatch();
                long fed = journal.replay(0, (p, e) -> checksum[0] += e.id());
                assertEquals(ENTRIES, fed);
                System.out.printf("replay: %,d %s, round %d: %s%n", fed, what, round, replaying.rate(fed));
            }
        }
    }

    @Test
    void printsRandomReadLatency() {
        try (ChronicleJournal journal = open(dir)) {
            for (int day = 0; day < 10; day++) { // ten daily cycle files of 100,000 entries
                append(journal, ENTRIES / 10, Entries::typical);
                clock.addAndGet(DAY_MS);
            }
            Random random = new Random(1);
            for (int round = 1; round <= 3; round++) {
                int reads = 200_000;
                long[] nanos = new long[reads];
                Stopwatch reading = new Stopwatch();
                for (int i = 0; i < reads; i++) {
                    long position = random.nextInt(ENTRIES);
                    long start = System.nanoTime();
                    Entry entry = journal.read(position);
                    nanos[i] = System.nanoTime() - start;
                    assertEquals(position, entry.id());
                }
                double cpuMicros = reading.cpuNanos() / 1e3 / reads;
                Arrays.sort(nanos);
                System.out.printf("read: random positions over %,d typical entries in 10 cycle files, round %d: "
                                + "mean %.2f us (CPU %.2f us), p50 %.2f us, p99 %.2f us, p99.9 %.2f us, max %.0f us%n",
                        ENTRIES, round, Arrays.stream(nanos).average().orElse(0) / 1e3, cpuMicros,
                        nanos[reads / 2] / 1e3, nanos[reads * 99 / 100] / 1e3, nanos[reads * 999 / 1000] / 1e3,
                        nanos[reads - 1] / 1e3);
            }
        }
    }

    /**
     * Wall-clock and CPU time of the calling thread since creation: on a shared machine the CPU time shows the cost
     * of the code, the wall clock what other processes left of it.
     */
    static final class Stopwatch {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long wall = System.nanoTime();
        private final long cpu = THREADS.getCurrentThreadCpuTime();

        long cpuNanos() {
            return THREADS.getCurrentThreadCpuTime() - cpu;
        }

        String rate(long count) {
            long wallNanos = System.nanoTime() - wall;
            return String.format("%,.0f entries/s by the wall clock, %,.0f entries/s of thread CPU time",
                    count * 1e9 / wallNanos, count * 1e9 / cpuNanos());
        }
    }

    /** Appends entries made for positions size()..size()+count-1, in batches of 1000. */
    static void append(ChronicleJournal journal, int count, java.util.function.LongFunction<Entry> entry) {
        List<Entry> batch = new ArrayList<>(1000);
        long start = journal.size();
        for (long p = start; p < start + count; p++) {
            batch.add(entry.apply(p));
            if (batch.size() == 1000) {
                journal.append(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            journal.append(batch);
        }
    }

    /** Where the data of the newest cycle file ends, by Chronicle's own framing. */
    static long dataEnd(Path dir) throws Exception {
        Path last = JournalRecovery.lastCycleFile(dir).orElseThrow();
        try (FileChannel channel = FileChannel.open(last, StandardOpenOption.READ)) {
            return JournalRecovery.endOfCompleteDocuments(channel, Files.size(last), 0);
        }
    }
}
