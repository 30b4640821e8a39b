package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.journal.Entry;

import io.actionlog.journal.ValueNumbers;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayPipelineTest {
    /** More entries than the hand-over queue holds, so a reader that waited for a dead applier would wait forever. */
    private static final int ENTRIES = 200_000;

    @Test
    void anErrorOnTheApplyingThreadReachesTheReaderInsteadOfHangingIt() {
        OutOfMemoryError thrown = new OutOfMemoryError("Java heap space (test)");
        // The timeout only turns a hang into a failure; nothing here measures speed.
        OutOfMemoryError caught = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                OutOfMemoryError.class, () -> feed((position, entry, resolved) -> {
                    if (position == 5) {
                        throw thrown;
                    }
                })));
        assertEquals(thrown, caught);
    }

    @Test
    void aBadEntryOnTheApplyingThreadStopsTheReplayWithItsOwnMessage() {
        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> feed((position, entry, resolved) -> {
                    if (position == 70_000) {
                        throw new IllegalStateException("entry 70000 does not follow");
                    }
                }));
        assertEquals("entry 70000 does not follow", caught.getMessage());
    }

    @Test
    void entriesWithLongTextsAreHandedOverInBatchesBoundedByTheirText() throws Exception {
        // The most parents an action may have, each as long as it may be: one string, shared, so that the test
        // itself holds next to nothing however many entries the pipeline takes.
        List<String> parents = Collections.nCopies(100, "p".repeat(2048));
        Entry created = new Entry.Created(1, new ActionData(null, "u", "a", "GET", "/", "/", parents, "", "", "", "",
                0, true, null, "r"), (byte) 0, Entry.NO_TIME, "", "", "{}");
        long perEntry = ReplayPipeline.textChars(created);
        CountDownLatch applying = new CountDownLatch(1);
        ReplayPipeline pipeline = new ReplayPipeline((entry, numbers) -> null, (position, entry, resolved) -> {
            try {
                applying.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong accepted = new AtomicLong();
        Thread reader = new Thread(() -> {
            for (long p = 0; p < ENTRIES; p++) {
                pipeline.accept(p, created, ValueNumbers.NONE);
                accepted.incrementAndGet();
            }
        });
        reader.start();
        // The applier stays on its first entry, so the reader takes what the pipeline holds and then waits for room.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reader.getState() != Thread.State.TIMED_WAITING && reader.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long held = accepted.get();
        applying.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(60));
        pipeline.finish();
        // 18 batches alive at most, each of BATCH_CHARS and one entry more.
        long bound = 18 * (ReplayPipeline.BATCH_CHARS + perEntry);
        assertTrue(held * perEntry <= bound, held + " entries of " + perEntry + " characters held, above " + bound);
    }

    private static void feed(ReplayPipeline.Target target) {
        ReplayPipeline pipeline = new ReplayPipeline((entry, numbers) -> null, target);
        for (long p = 0; p < ENTRIES; p++) {
            pipeline.accept(p, null, ValueNumbers.NONE);
        }
        pipeline.finish();
    }
}
