package io.actionlog.stream;

import io.actionlog.store.Writer;
import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One socket's bounded share of the feed, between the writer thread and the socket's event loop.
 *
 * <p>{@link #offer} (writer thread) counts, enqueues the batch as it is and asks the socket's context to drain; it
 * never blocks. {@link #drain} (socket's context) hands entries to the session while the socket's own write queue
 * has room, and otherwise waits for the socket's drain handler. When more than {@code maxEntries} entries or
 * {@code maxBytes} (by {@link Frames#weight}) wait behind a full socket, the outbox takes no more and tells the
 * session once, on its context, that it overflowed; the session then cuts the socket off. Nothing is dropped
 * silently, so what a socket receives is always a gapless prefix of what it subscribed to.
 *
 * <p>The bound is on what the session wants ({@link Session#wants}) and waits behind the socket, not on what arrives
 * between two drains: the writer hands over thousands of entries at once (a bulk request's), and an events follower
 * is offered every creation and move, most of which its filter passes over without a frame. Counting those as they
 * arrived cut off followers that kept up, and followers that would never have been sent a frame of them. So while
 * the socket is full, the drain goes on through what waits: entries the session does not want are let go, and
 * the ones it wants are set aside in order, and only those count toward the bound. What the outbox holds meanwhile is the
 * writer's own batches (one queue node a batch), whose entries every follower shares; more than {@link #CEILING}
 * times the bound waiting when a batch arrives is an overflow too: the writer outrunning the socket's event loop (a
 * bulk load on a busy machine), which the check behind the socket would see too late, and which would otherwise pin
 * the entries, bodies and all, that the weight does not count.
 *
 * <p>One drain hands over or sets aside at most {@link #PER_TURN} entries, then lets the event loop's other work run before it
 * goes on: a backlog of thousands would otherwise hold every other connection of the loop for up to a second.
 *
 * <p>While held (the session is still sending history: a tail or a replay) entries wait, whatever the socket, and
 * only the ceiling applies: a replay that reads promptly is not cut off by a bulk load recorded meanwhile.
 */
final class Outbox implements ChangeFeed.Subscriber {

    /** The socket side, called on the socket's context only. */
    interface Session {
        Sink sink();

        void deliver(Writer.Applied entry);

        /**
         * Whether {@link #deliver} would send anything of {@code entry}; asked while the socket is full, of entries
         * that then do not count toward the bound. Must not turn from false to true later for the same entry.
         */
        default boolean wants(Writer.Applied entry) {
            return true;
        }

        void overflowed();
    }

    /**
     * How many times the bound may wait between two drains of a socket that is not full. An event loop busy with a
     * bulk load (it cuts the body into lines) turns 3-7 µs an entry even into no frame: it falls thousands of
     * entries behind a writer at 100,000 a second, and should not cut off followers for that.
     */
    static final int CEILING = 16;
    /** Entries one drain hands over or sets aside before it yields the event loop. */
    static final int PER_TURN = 1024;

    private final Context context;
    private final Session session;
    private final int maxEntries;
    private final long maxBytes;
    /** The batches as the feed gave them, never changed after (the feed makes each list for the offer). */
    private final ConcurrentLinkedQueue<List<Writer.Applied>> pending = new ConcurrentLinkedQueue<>();
    /** The next entry of the head batch; context only. */
    private int next;
    /**
     * Entries taken from the batches while the socket was full, which the session wants, in order; they go before
     * the batches. Their count and weight are what the bound applies to. Context only.
     */
    private final ArrayDeque<Writer.Applied> wanted = new ArrayDeque<>();
    private long wantedBytes;
    private final AtomicInteger entries = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;
    /** Whether the session was told of the overflow; context only. */
    private boolean told;
    /** Context only. */
    private boolean held = true;
    /** Of what waited when the hold ended, what is not handed over yet; context only. */
    private int owedEntries;
    private long owedBytes;

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
        // What waited before this batch decides: a batch, however large, is taken whole (the writer made it and
        // holds it anyway).
        int before = entries.getAndAdd(batch.size());
        long bytesBefore = bytes.getAndAdd(weight);
        if (before > CEILING * (long) maxEntries || bytesBefore > CEILING * maxBytes) {
            overflow();
        } else {
            pending.add(batch);
        }
        schedule();
    }

    private void overflow() {
        overflowed = true;
        pending.clear();
    }

    /** Context only: a drain scheduled before the overflow may still run after the one that told. */
    private void tellOnce() {
        if (!told) {
            told = true;
            session.overflowed();
        }
    }

    /**
     * Ends the hold: entries that waited, then live ones, flow to the session. Context only. What waited is granted
     * beyond the bound until it is handed over: it waited for the history, not for the client.
     */
    void release() {
        held = false;
        owedEntries = entries.get();
        owedBytes = bytes.get();
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
            wanted.clear();
            tellOnce();
            return;
        }
        if (held) {
            return;
        }
        for (int turn = 0; ; turn++) {
            if (turn == PER_TURN) {
                schedule();
                return;
            }
            if (!sink.full()) {
                Writer.Applied a = wanted.isEmpty() ? nextOffered() : takeWanted();
                if (a == null) {
                    return;
                }
                deliver(sink, a);
                if (sink.closed()) {
                    return;
                }
                continue;
            }
            // The socket is full: what its client has not taken waits; what the session does not want goes now.
            Writer.Applied a = nextOffered();
            if (a == null) {
                break;
            }
            if (session.wants(a)) {
                wanted.add(a);
                wantedBytes += Frames.weight(a.entry());
                if (overBound()) {
                    return;
                }
            } else {
                handedOver(a);
            }
        }
        if (!overBound()) {
            sink.onDrain(this::schedule);
        }
    }

    /** The next entry of the batches, or null when none waits. Context only. */
    private Writer.Applied nextOffered() {
        for (List<Writer.Applied> head = pending.peek(); head != null; head = pending.peek()) {
            if (next < head.size()) {
                return head.get(next++);
            }
            pending.poll();
            next = 0;
        }
        return null;
    }

    private Writer.Applied takeWanted() {
        Writer.Applied a = wanted.poll();
        wantedBytes -= Frames.weight(a.entry());
        return a;
    }

    /** Whether what the session wants waits behind its full socket beyond the bound; if so, cut off. */
    private boolean overBound() {
        if (wanted.size() > maxEntries + owedEntries || wantedBytes > maxBytes + owedBytes) {
            overflow();
            wanted.clear();
            tellOnce();
            return true;
        }
        return false;
    }

    /** The entry leaves the outbox: sent, or not wanted. */
    private void handedOver(Writer.Applied a) {
        long weight = Frames.weight(a.entry());
        entries.decrementAndGet();
        bytes.addAndGet(-weight);
        if (owedEntries > 0) {
            owedEntries--;
            owedBytes = Math.max(0, owedBytes - weight);
        }
    }

    private void deliver(Sink sink, Writer.Applied a) {
        handedOver(a);
        try {
            session.deliver(a);
        } catch (Throwable t) {
            // A stream that cannot go on is closed with an error frame rather than left silent.
            sink.refuse(Frames.INTERNAL_ERROR);
            Streams.rethrowError(t);
            throw new IllegalStateException("stream delivery failed at position " + a.position(), t);
        }
    }
}
