package io.actionlog.store;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionException;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.support.Await;
import io.vertx.core.Future;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer thread's hand-offs: a reply goes out only after the sync that covers its entry (durability os: one
 * sync per batch, group commit), and a batch that fails on an Error is refused and reported while the thread goes
 * on. Replies complete on the writer thread, so the checks run there and fail the test's context from it.
 */
class WriterTest {
    /** Remembers how many entries the last sync covered. */
    private static final class RecordingJournal implements Journal {
        private final List<Entry> entries = new ArrayList<>();
        volatile long synced;
        final AtomicInteger syncs = new AtomicInteger();
        /** While set, appends are refused as on a full disk. */
        volatile boolean full;

        @Override
        public synchronized long append(List<Entry> batch) {
            if (full) {
                throw new io.actionlog.journal.JournalFullException("journal has 0 bytes free (test)");
            }
            long first = entries.size();
            entries.addAll(batch);
            return first;
        }

        @Override
        public synchronized void sync() {
            synced = entries.size();
            syncs.incrementAndGet();
        }

        @Override
        public synchronized Entry read(long position) {
            return entries.get((int) position);
        }

        @Override
        public void readCreated(long position, io.actionlog.journal.CreatedBytes into) {
            throw new UnsupportedOperationException("the writer never reads");
        }

        @Override
        public synchronized long size() {
            return entries.size();
        }

        @Override
        public long replay(long from, EntryConsumer consumer) {
            return 0;
        }

        @Override
        public long diskBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private static Entry.Created created(long id) {
        return new Entry.Created(id, new ActionData(UUID.randomUUID(), "u", "a", "POST", "/p/", "/o/", List.of(), "",
                "unknown", "", "", 1_700_000_000_000_000L, true, null, "rec"), State.PENDING.code, Entry.NO_TIME, "",
                "", "{}");
    }

    /** A writer's reply as a Vert.x future: its callbacks run on the thread that completes it, the writer's. */
    private static <T> Future<T> reply(CompletableFuture<T> submitted) {
        return Future.fromCompletionStage(submitted);
    }

    @Test
    void everyReplyWaitsForTheSyncOfItsBatch() throws Throwable {
        VertxTestContext ctx = new VertxTestContext();
        RecordingJournal journal = new RecordingJournal();
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 4096, 64);
        writer.start();
        Checkpoint replies = ctx.checkpoint(2000);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            clients.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    reply(writer.submit(appender -> appender.append(created(index.size() + 1L))))
                            .onComplete(ctx.succeeding(position -> ctx.verify(() -> {
                                assertTrue(journal.synced > position, "a reply went out before its entry was synced");
                                replies.flag();
                            })));
                }
            });
        }
        clients.shutdown();
        Await.completion(ctx, 30, "every reply");
        writer.close();
        assertEquals(2000, journal.size());
        assertTrue(journal.syncs.get() < 2000, "batches share a sync: " + journal.syncs.get() + " syncs");
    }

    /** A full disk refuses every write a client repeats: the log says so once, and once more when writes work again. */
    @Test
    void appendsRefusedOnAFullDiskAreLoggedOnceNotEachTime() throws Throwable {
        RecordingJournal journal = new RecordingJournal();
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 4096, 64);
        writer.start();
        try (io.actionlog.support.LogCapture log = io.actionlog.support.LogCapture.of(Writer.class.getName())) {
            journal.full = true;
            for (int i = 0; i < 500; i++) {
                CompletableFuture<Long> refused = writer.submit(appender -> appender.append(created(1)));
                java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("journal is not writable"), e.getCause().toString());
            }
            journal.full = false;
            assertEquals(0L, writer.submit(appender -> appender.append(created(1))).get(10, TimeUnit.SECONDS));
            assertEquals(List.of("journal append refused: journal has 0 bytes free (test); writes are refused until "
                    + "space is freed (a line a minute while they are)", "journal appends work again, after 500 "
                    + "refused"), log.messages());
        } finally {
            writer.close();
        }
    }

    @Test
    void aBatchThatRunsOutOfHeapIsRefusedAndReportedAndTheWriterGoesOn() throws Throwable {
        VertxTestContext ctx = new VertxTestContext();
        RecordingJournal journal = new RecordingJournal();
        Writer writer = new Writer(journal, new ActionIndex(), 4096, 64);
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (test)");
        Checkpoint reported = ctx.checkpoint();
        Checkpoint refusedThenNextTaken = ctx.checkpoint();
        writer.onBatchFailure(t -> ctx.verify(() -> {
            assertEquals(oom, t);
            reported.flag();
        }));
        writer.start();
        reply(writer.submit(appender -> {
            throw oom;
        })).compose(refused -> Future.<Long>failedFuture("the batch was not refused"), refused -> {
            assertEquals(ActionException.Kind.UNAVAILABLE, ((ActionException) refused).kind());
            return reply(writer.submit(appender -> appender.append(created(1))));
        }).onComplete(ctx.succeeding(position -> ctx.verify(() -> {
            assertEquals(0L, position);
            refusedThenNextTaken.flag();
        })));
        Await.completion(ctx, 30, "refused, reported and the next write taken");
        writer.close();
    }
    /**
     * The tree hashes each leaf as its entry is appended: a preparer is told of every entry right after the journal
     * took it, before the sync of its batch, with what the command brought for it ahead of the writer, and one that
     * throws fails no write.
     */
    @Test
    void aPreparerSeesEachEntryAfterItsAppendBeforeItsSyncWithWhatCameAheadAndAFailingOneFailsNoWrite()
            throws Throwable {
        VertxTestContext ctx = new VertxTestContext();
        RecordingJournal journal = new RecordingJournal();
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 4096, 64);
        List<Long> prepared = new ArrayList<>();
        List<Object> aheads = new ArrayList<>();
        writer.prepare((position, entry, numbers, ahead) -> {
            aheads.add(ahead);
            assertEquals(position + 1, journal.size(), "told before the append");
            assertTrue(journal.synced <= position, "told after the sync");
            assertEquals(entry, journal.read(position));
            prepared.add(position);
            if (position % 3 == 0) {
                throw new IllegalStateException("a failing preparer (test)");
            }
        });
        writer.start();
        Checkpoint replies = ctx.checkpoint(300);
        for (int i = 0; i < 300; i++) {
            String ahead = i % 2 == 0 ? "made ahead for " + i : null;
            reply(writer.submit(appender -> appender.append(created(index.size() + 1L), ahead)))
                    .onComplete(ctx.succeeding(position -> replies.flag()));
        }
        Await.completion(ctx, 30, "every reply");
        writer.close();
        assertEquals(300, journal.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i, prepared.get(i));
            assertEquals(i % 2 == 0 ? "made ahead for " + i : null, aheads.get(i));
        }
    }

    /**
     * A stop whose wait the writer outlasts (a slow disk, a long queue) must not close the journal under it: the
     * closing is left to the writer thread, after its last write, and every write it had accepted lands.
     */
    @Test
    void aStopTheWriterOutlastsLeavesTheJournalOpenUntilItsLastWriteAndThenClosesItOnItsThread(@TempDir Path dir)
            throws Exception {
        ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS);
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 100, 10);
        writer.start();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> slow = writer.submit(appender -> {
            running.countDown();
            await(release);
            return appender.append(created(1));
        });
        CompletableFuture<Long> queued = writer.submit(appender -> appender.append(created(2)));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        CompletableFuture<String> closedOn = new CompletableFuture<>();
        boolean drained = writer.close(Duration.ofMillis(200), () -> {
            journal.close();
            closedOn.complete(Thread.currentThread().getName());
        });
        assertFalse(drained, "the writer is still in its first command");
        assertFalse(closedOn.isDone(), "nothing closed while the writer runs");
        assertEquals(0, journal.size());
        release.countDown();
        assertEquals(0L, slow.get(10, TimeUnit.SECONDS));
        assertEquals(1L, queued.get(10, TimeUnit.SECONDS), "a write accepted before the stop lands too");
        assertEquals("actionlog-writer", closedOn.get(10, TimeUnit.SECONDS));
        try (ChronicleJournal reopened = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS)) {
            assertEquals(2, reopened.size());
        }
    }

    @Test
    void aStopTheWriterFinishesInTimeLeavesNothingToItsThread() throws Exception {
        Writer writer = new Writer(new RecordingJournal(), new ActionIndex(), 100, 10);
        writer.start();
        assertEquals(0L, writer.submit(appender -> appender.append(created(1))).get(10, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        assertTrue(writer.close(Duration.ofSeconds(10), ran::incrementAndGet));
        assertEquals(0, ran.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
