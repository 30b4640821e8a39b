package io.actionlog.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The journal's figures quoted in the class doc of ChronicleJournal: replay rates and random read latency over a
 * million entries, printed; it asserts only correctness, never time. Its name keeps it out of the default test
 * run (about a minute on a 2-core machine); run it alone with {@code mvn -B -q -o test -Dtest=JournalBench}, and
 * read the figures in {@code target/surefire-reports/io.actionlog.journal.JournalBench-output.txt}.
 */
class JournalBench {

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
    void printsReplayRates() {
        replayRate(dir.resolve("small"), "small entries (LogAppended, ~30 bytes)",
                id -> Entries.logAppended(id, id - 1));
        replayRate(dir.resolve("typical"), "typical Created entries (~110 bytes)", Entries::typical);
    }

    private void replayRate(Path path, String what, java.util.function.LongFunction<Entry> entry) {
        try (ChronicleJournal journal = open(path)) {
            Stopwatch appending = new Stopwatch();
            Entries.appendInBatches(journal, ENTRIES, entry);
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
                Entries.appendInBatches(journal, ENTRIES / 10, Entries::typical);
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
}
