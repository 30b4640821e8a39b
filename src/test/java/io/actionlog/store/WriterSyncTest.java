package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionException;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A reply goes out only after the sync that covers its entry (durability os: one sync per batch, group commit). */
class WriterSyncTest {
    /** Remembers how many entries the last sync covered. */
    private static final class RecordingJournal implements Journal {
        private final List<Entry> entries = new ArrayList<>();
        volatile long synced;
        final AtomicInteger syncs = new AtomicInteger();

        @Override
        public synchronized long append(List<Entry> batch) {
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
        return new Entry.Created(id, UUID.randomUUID(), "u", "a", "POST", "/p/", "/o/", List.of(), "", "unknown", "",
                "", State.PENDING.code, 1_700_000_000_000_000L, Entry.NO_TIME, "", "", "{}", true, null, "rec");
    }

    @Test
    void everyReplyWaitsForTheSyncOfItsBatch() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 4096, 64);
        writer.start();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Boolean>> covered = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            clients.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    covered.add(writer.submit(appender -> appender.append(created(index.size() + 1L)))
                            .thenApply(position -> journal.synced > position));
                }
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        for (CompletableFuture<Boolean> c : covered) {
            assertTrue(c.get(30, TimeUnit.SECONDS), "a reply went out before its entry was synced");
        }
        writer.close();
        assertEquals(2000, journal.size());
        assertTrue(journal.syncs.get() < 2000, "batches share a sync: " + journal.syncs.get() + " syncs");
    }

    @Test
    void aBatchThatRunsOutOfHeapIsRefusedAndReportedAndTheWriterGoesOn() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        ActionIndex index = new ActionIndex();
        Writer writer = new Writer(journal, index, 4096, 64);
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        writer.onBatchFailure(reported::complete);
        writer.start();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (test)");
        CompletableFuture<Long> failed = writer.submit(appender -> {
            throw oom;
        });
        ExecutionException refused = assertThrows(ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
        assertEquals(ActionException.Kind.UNAVAILABLE, ((ActionException) refused.getCause()).kind());
        assertEquals(oom, reported.get(30, TimeUnit.SECONDS));
        assertEquals(0L, writer.submit(appender -> appender.append(created(1))).get(30, TimeUnit.SECONDS));
        writer.close();
    }
}
