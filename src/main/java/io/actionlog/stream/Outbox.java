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
 * the ones it wants are set aside in order, and only those count toward the bound.
 *
 * <p>What the outbox holds meanwhile is the writer's own batches (one queue node a batch), whose entries every
 * follower shares. The event loop may fall behind the writer: a bulk load on a busy machine turns the loop 3-7 µs an
 * entry even into no frame. When more than {@link #CATCH_UP} times the bound waits for it and its client reads (the
 * socket has room), a session that can read the journal ({@link Session#catchUp}) catches up from there: the outbox
 * lets go of everything it holds and the session sends those positions from the journal, paced by its socket, while
 * newer entries wait again. When more than {@link #CEILING} times the bound waits as a batch arrives, the writer
 * checks that itself, should the loop not run at all: for such a session it lets the batches go unqueued, and they
 * join the next catch-up; any other session is cut off. Either way the entries, bodies and all, that the weight does
 * not count are pinned no longer than that.
 *
 * <p>One drain hands over or sets aside at most {@link #PER_TURN} entries, then lets the event loop's other work run
 * before it goes on: a backlog of thousands would otherwise hold every other connection of the loop for up to a
 * second.
 *
 * <p>While held (the session is still sending history: a tail or a replay) entries wait, whatever the socket, and
 * only the ceilings apply: a replay that reads promptly is not cut off by a bulk load recorded meanwhile; past
 * {@link #CATCH_UP} times the bound, an events session adds what waits to its replay.
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

        /** Whether this session can send what the outbox lets go of from the journal ({@link #catchUp}). */
        default boolean catchesUp() {
            return false;
        }

        /**
         * The outbox let go of the entries it held, from position {@code from} to {@code to} (exclusive), because the
         * event loop fell behind the writer: send them from the journal and then {@link #release} the outbox, or, if
         * still sending history, send up to {@code to} before releasing. Only called when {@link #catchesUp}.
         */
        default void catchUp(long from, long to) {
            throw new UnsupportedOperationException("this session does not catch up");
        }
    }

    /**
     * How many times the bound may wait when a batch arrives before the writer cuts the socket off itself. An event
     * loop busy with a bulk load (it cuts the body into lines) turns 3-7 µs an entry even into no frame: it falls
     * thousands of entries behind a writer at 100,000 a second, and should not cut off followers for that.
     */
    static final int CEILING = 16;
    /** How many times the bound may wait for the event loop before a session whose client reads catches up. */
    static final int CATCH_UP = CEILING / 4;
    /**
     * By default, how long a session may stay held, sending history or catching up, while more keeps falling behind
     * (a client that reads more slowly than the writer writes would never catch up), and how long a socket may stay
     * full while the writer lets its entries go: past that it is cut off. The events session gives
     * {@code stream.idle_timeout_seconds}, the time a WebSocket may stay silent, and {@code stream.ping_seconds}.
     */
    static final long PATIENCE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    /** Entries one drain hands over or sets aside before it yields the event loop. */
    static final int PER_TURN = 1024;

    private final Context context;
    private final Session session;
    private final int maxEntries;
    private final long maxBytes;
    private final long heldPatienceNanos;
    private final long fullPatienceNanos;
    /** When the session last became held; context only (the construction's thread, then the context). */
    private long heldSince = System.nanoTime();
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
    /**
     * Of what waited when the hold ended, how many are still in the batches, and the position of the last taken out:
     * an entry is owed by its place, so that the entries let go after it (another user's) do not use up the grant of
     * those still set aside. Context only.
     */
    private int owedInBatches;
    private long lastOwed = Long.MIN_VALUE;
    /**
     * Set by the writer when it reaches the ceiling for a session that catches up: from then on it lets batches go
     * unqueued, positions {@code droppedFrom} to {@code droppedTo}, until the context takes them into a catch-up.
     * Guarded by this; {@code behind} tells the context without the lock.
     */
    private boolean dropping;
    private long droppedFrom;
    private long droppedTo;
    private volatile boolean behind;
    /** Context only: since when the socket was full while the writer let its entries go (0: it is not). */
    private long fullSince;
    private boolean recheck;

    Outbox(Context context, Session session, int maxEntries, long maxBytes) {
        this(context, session, maxEntries, maxBytes, PATIENCE_NANOS, PATIENCE_NANOS);
    }

    /**
     * {@code heldPatienceNanos}: how long the session may stay held while more falls behind; {@code
     * fullPatienceNanos}: how long its socket may stay full while the writer lets its entries go.
     */
    Outbox(Context context, Session session, int maxEntries, long maxBytes, long heldPatienceNanos,
           long fullPatienceNanos) {
        this.context = context;
        this.session = session;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.heldPatienceNanos = heldPatienceNanos;
        this.fullPatienceNanos = fullPatienceNanos;
    }

    @Override
    public void offer(List<Writer.Applied> batch) {
        if (overflowed || batch.isEmpty()) {
            return;
        }
        if (dropped(batch)) {
            schedule(); // the context looks again whether its client reads
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
            entries.addAndGet(-batch.size());
            bytes.addAndGet(-weight);
            if (session.catchesUp()) {
                startDropping(batch);
            } else {
                overflow();
            }
        } else {
            pending.add(batch);
        }
        schedule();
    }

    /** Writer thread: whether the batch is let go unqueued, its positions to be read from the journal instead. */
    private boolean dropped(List<Writer.Applied> batch) {
        if (!behind) {
            return false; // only this thread sets it; the context clears it with dropping, under the lock
        }
        synchronized (this) {
            if (!dropping) {
                return false;
            }
            droppedTo = batch.get(batch.size() - 1).position() + 1;
            return true;
        }
    }

    private void startDropping(List<Writer.Applied> batch) {
        synchronized (this) {
            dropping = true;
            droppedFrom = batch.get(0).position();
            droppedTo = batch.get(batch.size() - 1).position() + 1;
            behind = true;
        }
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
        owedInBatches = owedEntries;
        schedule();
    }

    /** Entries offered and not yet handed over or let go, with their weight: what the ceilings count. */
    long[] waiting() {
        return new long[] {entries.get(), bytes.get()};
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
            cut();
            return;
        }
        if (behind) {
            if (sink.full()) {
                awaitReader(sink);
                return;
            }
            catchUp();
        }
        // Behind a full socket the entries are walked below instead: those not wanted go, the wanted are bounded.
        if (!sink.full() && session.catchesUp()
                && (entries.get() > CATCH_UP * (long) maxEntries || bytes.get() > CATCH_UP * maxBytes)) {
            catchUp();
        }
        if (held) {
            return;
        }
        for (int turn = 0; ; turn++) {
            if (turn == PER_TURN) {
                if (sink.full()) {
                    sink.onDrain(this::schedule); // the client's reading must not wait for the walk to end
                }
                schedule();
                return;
            }
            if (!sink.full()) {
                Writer.Applied a = next();
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
            if (wants(sink, a)) {
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

    /**
     * The event loop fell behind the writer while its client reads: lets go of every entry held, takes the positions
     * the writer let go unqueued, and has the session send them from the journal instead.
     */
    private void catchUp() {
        fullSince = 0; // its socket has room
        LetGo gone = new LetGo();
        letGoAll(gone); // up to the writer's own ceiling of entries, each a few steps
        if (behind) {
            synchronized (this) {
                // While dropping, the writer queues nothing; a batch it queued after the walk above but before it
                // began dropping comes before what it dropped, and is let go too, so that the replay sends it once.
                letGoAll(gone);
                gone.from = gone.from < 0 ? droppedFrom : gone.from;
                gone.to = droppedTo;
                dropping = false;
                behind = false;
            }
        }
        // The counts shared with the writer change once.
        entries.addAndGet(-gone.count);
        bytes.addAndGet(-gone.weight);
        if (gone.from < 0) {
            return;
        }
        if (held && System.nanoTime() - heldSince > heldPatienceNanos) {
            cut(); // it has sent history or caught up that long, and still more falls behind
            return;
        }
        if (!held) {
            held = true;
            heldSince = System.nanoTime();
        }
        session.catchUp(gone.from, gone.to);
    }

    /** What a catch-up lets go of: the positions from and to (exclusive), how many entries, their weight. */
    private static final class LetGo {
        long from = -1;
        long to = -1;
        int count;
        long weight;
    }

    /** Context only: lets go of every entry not handed over, the set-aside ones first. */
    private void letGoAll(LetGo gone) {
        for (Writer.Applied a = next(); a != null; a = next()) {
            long weight = Frames.weight(a.entry());
            leaves(a, weight);
            gone.from = gone.from < 0 ? a.position() : gone.from;
            gone.to = a.position() + 1;
            gone.count++;
            gone.weight += weight;
        }
    }

    /**
     * The writer lets this socket's entries go while its socket is full: the catch-up waits for the client to read,
     * which is looked at again when the socket drains and every second, for the patience given at most.
     */
    private void awaitReader(Sink sink) {
        long now = System.nanoTime();
        if (fullSince == 0) {
            fullSince = now;
        } else if (now - fullSince > fullPatienceNanos) {
            cut();
            return;
        }
        if (!held) {
            sink.onDrain(this::schedule); // while held the replay's handler is the socket's one: not taken from it
        }
        if (!recheck) {
            recheck = true;
            context.owner().setTimer(1000, id -> {
                recheck = false;
                schedule();
            });
        }
    }

    private void cut() {
        overflow();
        wanted.clear();
        wantedBytes = 0;
        tellOnce();
    }

    /** The next entry not handed over: the set-aside ones first. Context only. */
    private Writer.Applied next() {
        return wanted.isEmpty() ? nextOffered() : takeWanted();
    }

    /** The next entry of the batches, or null when none waits (or the writer cut the socket off). Context only. */
    private Writer.Applied nextOffered() {
        // The flag is set before the writer clears the batches: a drain that could see a batch gone sees it too.
        for (List<Writer.Applied> head = pending.peek(); head != null && !overflowed; head = pending.peek()) {
            if (next < head.size()) {
                Writer.Applied a = head.get(next++);
                if (owedInBatches > 0) {
                    owedInBatches--;
                    lastOwed = a.position();
                }
                return a;
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
            cut();
            return true;
        }
        return false;
    }

    /** The entry leaves the outbox: sent, or not wanted. */
    private void handedOver(Writer.Applied a) {
        long weight = Frames.weight(a.entry());
        entries.decrementAndGet();
        bytes.addAndGet(-weight);
        leaves(a, weight);
    }

    /** What an entry's leaving does to the grant of what waited when the hold ended. */
    private void leaves(Writer.Applied a, long weight) {
        if (owedEntries > 0 && a.position() <= lastOwed) {
            owedEntries--;
            owedBytes = Math.max(0, owedBytes - weight);
        }
    }

    /** Whether the session wants the entry; a check that fails closes the stream, as a failed delivery does. */
    private boolean wants(Sink sink, Writer.Applied a) {
        try {
            return session.wants(a);
        } catch (Throwable t) {
            throw failed(sink, "filter", a, t);
        }
    }

    private void deliver(Sink sink, Writer.Applied a) {
        handedOver(a);
        try {
            session.deliver(a);
        } catch (Throwable t) {
            throw failed(sink, "delivery", a, t);
        }
    }

    /** A stream that cannot go on is closed with an error frame rather than left silent; an Error goes on as it is. */
    private static RuntimeException failed(Sink sink, String what, Writer.Applied a, Throwable t) {
        sink.refuse(Frames.INTERNAL_ERROR);
        Streams.rethrowError(t);
        return new IllegalStateException("stream " + what + " failed at position " + a.position(), t);
    }
}
