package io.actionlog.index;

import io.actionlog.action.ActionData;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;

/**
 * Start-up replay on two threads: the journal decodes entries on the calling thread, which also resolves each
 * entry's indexed values ({@link ActionIndex#resolve}), while a second thread folds them into the index, in order,
 * handed over in batches. {@link #finish()} joins the second thread, so everything it
 * wrote is visible to the caller (and, through the index lock the caller holds, to every later reader).
 *
 * <p>At most 18 batches are alive at once (16 queued, one filling, one applying), so a batch is bounded by the text
 * its entries hold as well as by their number: an action may carry 100 parents of 2,048 characters, and 18 batches
 * of 4,096 such actions would be 15 G characters, where a heap that served them live holds a few MiB of them.
 */
final class ReplayPipeline implements Journal.EntryConsumer {
    private static final int BATCH = 4096;
    /** Characters of decoded text after which a batch is handed over (it then holds at most one entry more). */
    static final long BATCH_CHARS = 512 * 1024;
    private static final Batch END = new Batch();

    private static final class Batch {
        final long[] positions = new long[BATCH];
        final Entry[] entries = new Entry[BATCH];
        final ValueIds.Resolved[] resolved = new ValueIds.Resolved[BATCH];
        int size;
        long chars;
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
        filling.chars += textChars(entry);
        if (filling.size == BATCH || filling.chars >= BATCH_CHARS) {
            hand(filling);
            filling = new Batch();
        }
    }

    /** The characters of the texts an entry holds as decoded: those of a creation, parents included, are most. */
    static long textChars(Entry entry) {
        if (entry instanceof Entry.Created c) {
            ActionData d = c.data();
            long n = chars(d.user()) + chars(d.action()) + chars(d.method()) + chars(d.path()) + chars(d.object())
                    + chars(d.ip()) + chars(d.location()) + chars(d.userAgent()) + chars(d.body())
                    + chars(d.recordedBy()) + chars(c.logs()) + chars(c.error()) + chars(c.metadata());
            for (String parent : d.parents() == null ? List.<String>of() : d.parents()) {
                n += chars(parent);
            }
            return n;
        }
        if (entry instanceof Entry.StateChanged s) {
            return chars(s.error()) + chars(s.metadata());
        }
        if (entry instanceof Entry.LogAppended l) {
            return chars(l.text());
        }
        return entry instanceof Entry.Expired e ? 4L * e.ids().length : 0;
    }

    private static long chars(String s) {
        // The texts a replay leaves undecoded are one shared string.
        return s == null || s == Entry.TEXT_LEFT_OUT ? 0 : s.length();
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
