package io.actionlog.stream;

import io.actionlog.store.Writer;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One socket's bounded share of the feed, between the writer thread and the socket's event loop.
 *
 * <p>{@link #offer} (writer thread) counts, enqueues and asks the socket's context to drain; it never blocks.
 * {@link #drain} (socket's context) hands entries to the session while the socket's own write queue has room,
 * and otherwise waits for the socket's drain handler. When more than {@code maxEntries} entries or
 * {@code maxBytes} (by {@link Frames#weight}) wait, the outbox takes no more and tells the session once, on its
 * context, that it overflowed; the session then cuts the socket off. Nothing is dropped silently, so what a
 * socket receives is always a gapless prefix of what it subscribed to.
 *
 * <p>While held (the session is still sending history: a tail or a replay) entries wait and count.
 */
final class Outbox implements ChangeFeed.Subscriber {

    /** The socket side, called on the socket's context only. */
    interface Session {
        Sink sink();

        void deliver(Writer.Applied entry);

        void overflowed();
    }

    private final Context context;
    private final Session session;
    private final int maxEntries;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Writer.Applied> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger entries = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    private boolean held = true;

    Outbox(Context context, Session session, int maxEntries, long maxBytes) {
        this.context = context;
        this.session = session;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    @Override
    public void offer(List<Writer.Applied> batch) {
        if (overflowed) {
            return;
        }
        long weight = 0;
        for (Writer.Applied a : batch) {
            weight += Frames.weight(a.entry());
        }
        if (entries.addAndGet(batch.size()) > maxEntries || bytes.addAndGet(weight) > maxBytes) {
            overflowed = true;
            pending.clear();
        } else {
            pending.addAll(batch);
        }
        schedule();
    }

    /** Ends the hold: entries that waited, then live ones, flow to the session. Context only. */
    void release() {
        held = false;
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> drain());
        }
    }

    private void drain() {
        scheduled.set(false);
        Sink sink = session.sink();
        if (sink.closed()) {
            return;
        }
        if (overflowed) {
            session.overflowed();
            return;
        }
        while (!held && !sink.full()) {
            Writer.Applied a = pending.poll();
            if (a == null) {
                return;
            }
            entries.decrementAndGet();
            bytes.addAndGet(-Frames.weight(a.entry()));
            try {
                session.deliver(a);
            } catch (Throwable t) {
                // A stream that cannot go on is closed with an error frame rather than left silent.
                sink.refuse(Frames.INTERNAL_ERROR);
                Streams.rethrowError(t);
                throw new IllegalStateException("stream delivery failed at position " + a.position(), t);
            }
            if (sink.closed()) {
                return;
            }
        }
        if (!held) {
            sink.onDrain(this::schedule);
        }
    }
}
