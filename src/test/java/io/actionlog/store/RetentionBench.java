package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.ActionData;
import io.actionlog.action.Dates;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.support.DayClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figure of docs/benchmarks.md, "Retention": one run that expires half of a journal of N actions (default
 * 1,000,000, {@code -Dretention.bench.actions=N}) and drops the day file that held them, timed from the request to
 * the report; then the start-up replay of what is kept. Not part of the suite (the name does not end in Test):
 * {@code mvn -o test -Dtest=RetentionBench}, figures in the test's output.
 */
class RetentionBench {
    private static final long DAY_MICROS = 86_400_000_000L;

    @TempDir
    Path dir;

    @Test
    void printsTheTimeOfARunThatExpiresHalfTheActionsAndDropsTheirFile() throws Exception {
        int n = Integer.getInteger("retention.bench.actions", 1_000_000);
        DayClock clock = new DayClock(3);
        long now = Dates.now();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, clock)) {
            append(journal, 1, n / 2, now - 400 * DAY_MICROS);
            clock.nextDay();
            append(journal, n / 2 + 1, n - n / 2, now - DAY_MICROS);
        }
        clock.nextDay();
        // Reopened, as by a server: the appender belongs to the thread that appends first, here the writer.
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, clock)) {
            ActionIndex index = new ActionIndex();
            index.replay(consumer -> journal.replay(0, consumer));
            Writer writer = new Writer(journal, index, 1024, 4096);
            writer.start();
            try {
                Retention retention = new Retention(journal, index, writer, new Retention.Policy(30, 0), Dates::now);
                long t0 = System.nanoTime();
                RetentionReport report = retention.run("bench").get();
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(n / 2, report.expired());
                System.out.printf("retention of %,d of %,d actions: %d ms from request to report (%d ms on the writer)"
                        + ", %s%n", report.expired(), n, millis, report.millis(), report.json().encode());
            } finally {
                writer.close();
            }
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, clock)) {
            long t0 = System.nanoTime();
            ActionIndex index = new ActionIndex();
            long entries = index.replay(consumer -> journal.replay(0, consumer));
            System.out.printf("replay of the kept journal (%,d entries from position %,d, %,d live actions): %d ms%n",
                    entries, journal.first(), index.liveCount(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Finished actions with ids from {@code firstId} on, started and ended at {@code at}, in batches. */
    private static void append(ChronicleJournal journal, long firstId, int count, long at) {
        List<Entry> batch = new ArrayList<>(4096);
        for (long id = firstId; id < firstId + count; id++) {
            batch.add(new Entry.Created(id, new ActionData(new UUID(id * 0x9E3779B97F4A7C15L, id), "alice.tamm",
                    "instance.create", "POST", "/api/instances/", "instance:" + Long.toHexString(id % 5000),
                    List.of("project:3c59dc04"), "192.0.2.17", "Tallinn, EE", "python-requests/2.31",
                    "{\"flavor\":\"m1.small\"}", at, true, null, "waldur"), State.SUCCESS.code, at + 1_000, "", "",
                    "{}"));
            if (batch.size() == 4096) {
                journal.append(batch);
                batch.clear();
            }
        }
        journal.append(batch);
    }
}
