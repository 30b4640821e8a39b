package io.actionlog.server;

import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;

/**
 * How far the start-up replay has got, for {@code /health} while it runs and for the log of a long replay.
 *
 * <p>Threads: only the replaying thread counts; others read {@link #done()}. The count is published every
 * {@link #STEP} entries, not at each one, so that the replay's inner loop pays no volatile write per entry.
 */
final class ReplayProgress {
    private static final int STEP = 1 << 14;

    private final long entries;
    private long counted;
    private volatile long published;

    ReplayProgress(long entries) {
        this.entries = entries;
    }

    long entries() {
        return entries;
    }

    long done() {
        return published;
    }

    /** The consumer, counting what passes through it. */
    Journal.EntryConsumer counting(Journal.EntryConsumer consumer) {
        return new Journal.EntryConsumer() {
            @Override
            public void accept(long position, Entry entry) {
                consumer.accept(position, entry);
                count();
            }

            @Override
            public void accept(long position, Entry entry, ValueNumbers numbers) {
                consumer.accept(position, entry, numbers);
                count();
            }

            @Override
            public boolean readsTexts() {
                return consumer.readsTexts();
            }
        };
    }

    private void count() {
        if ((++counted & (STEP - 1)) == 0) {
            published = counted;
        }
    }

    /** Everything was replayed. */
    void finished() {
        published = counted;
    }

    String line() {
        long done = published;
        return "replaying the journal: " + done + " of " + entries + " entries ("
                + (entries == 0 ? 100 : done * 100 / entries) + "%)";
    }
}
