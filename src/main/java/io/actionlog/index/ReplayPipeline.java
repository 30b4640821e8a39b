package io.actionlog.index;

import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;

/**
 * Start-up replay on two threads: the journal decodes entries on the calling thread, which also resolves each
 * entry's indexed values ({@link ActionIndex#resolve}), while a second thread folds them into the index, in order,
 * handed over in batches. {@link #finish()} joins the second thread, so everything it
 * wrote is visible to the caller (and, through the index lock the caller holds, to every later reader).
 */
final class ReplayPipeline implements Journal.EntryConsumer {
    private static final int BATCH = 4096;
    private static final Batch END = new Batch();

    private static final class Batch {
        final long[] positions = new long[BATCH];
        final Entry[] entries = new Entry[BATCH];
        final ValueIds.Resolved[] resolved = new ValueIds.Resolved[BATCH];
        int size;
    }

    /** Folds an entry, its values resolved, into the index. */
    @FunctionalInterface
    interface Target {
        void apply(long position, Entry entry, ValueIds.Resolved resolved);
    }

    private final BiFunction<Entry, ValueNumbers, ValueIds.Resolved> resolve;
    private final Target target;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(16);
    private final Thread applier;
    /** What stopped the applying thread: a bad entry, or an Error such as running out of heap. */
    private volatile Throwable failure;
    private Batch filling = new Batch();

    ReplayPipeline(BiFunction<Entry, ValueNumbers, ValueIds.Resolved> resolve, Target target) {
        this.resolve = resolve;
        this.target = target;
        this.applier = new Thread(this::applyAll, "actionlog-replay-apply");
        this.applier.start();
    }

    @Override
    public void accept(long position, Entry entry) {
        accept(position, entry, ValueNumbers.NONE);
    }

    /** The index looks at no text but whether error is empty and metadata is {@code {}}. */
    @Override
    public boolean readsTexts() {
        return false;
    }

    @Override
    public void accept(long position, Entry entry, ValueNumbers numbers) {
        filling.positions[filling.size] = position;
        filling.resolved[filling.size] = resolve.apply(entry, numbers);
        filling.entries[filling.size++] = entry;
        if (filling.size == BATCH) {
            hand(filling);
            filling = new Batch();
        }
    }

    /** Waits until every entry is applied; rethrows what the applying thread failed with. */
    void finish() {
        if (filling.size > 0) {
            hand(filling);
        }
        hand(END);
        try {
            applier.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying the journal", e);
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        Throwable f = failure;
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw (RuntimeException) f;
        }
    }

    private void hand(Batch batch) {
        try {
            while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying the journal", e);
        }
    }

    private void applyAll() {
        try {
            for (Batch b = queue.take(); b != END; b = queue.take()) {
                for (int i = 0; i < b.size; i++) {
                    target.apply(b.positions[i], b.entries[i], b.resolved[i]);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Caught, not left to the thread's death: the reading thread would otherwise wait for room forever.
            failure = e;
            queue.clear();
        }
    }
}
