package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.journal.Entry;
import io.actionlog.store.Writer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox on a real Vert.x context with a stand-in socket whose send buffers fill after a set number of frames
 * and, for a client that reads, empty on the next turn of the loop: no network, so which check cuts a follower off
 * is exact.
 */
class OutboxTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** A socket whose buffers take {@code room} frames, then are full until its client reads (if it does). */
    private static final class Socket implements Sink {
        private final Context context;
        private final int room;
        private boolean reads;
        private Runnable drained;
        private int buffered;
        private boolean closed;
        final List<Long> sent = new ArrayList<>();

        Socket(Context context, int room, boolean reads) {
            this.context = context;
            this.room = room;
            this.reads = reads;
        }

        @Override
        public Context context() {
            return context;
        }

        @Override
        public boolean full() {
            return buffered >= room;
        }

        @Override
        public void onDrain(Runnable then) {
            if (reads) {
                context.runOnContext(v -> {
                    buffered = 0;
                    then.run();
                });
            } else {
                drained = then;
            }
        }

        /** Context only: a client that stalled reads what its buffers hold, and goes on reading. */
        void startReading() {
            reads = true;
            buffered = 0;
            if (drained != null) {
                drained.run();
            }
        }

        @Override
        public void send(String frame, long position) {
            sent.add(position);
            buffered++;
        }

        @Override
        public void refuse(String errorMessage, String detail) {
            closed = true;
        }

        @Override
        public void finish() {
            closed = true;
        }

        @Override
        public boolean closed() {
            return closed;
        }

        @Override
        public void onClose(Runnable then) {
        }

        @Override
        public void keepAlive(long idleTimeoutNanos) {
        }
    }

    /**
     * Hands every entry it wants (all, or those its filter takes) to the socket; tells when it is done: all
     * {@code expected} sent, or cut off.
     */
    private static final class Session implements Outbox.Session {
        private final Socket socket;
        private final int expected;
        private final LongPredicate filter;
        final CompletableFuture<Boolean> cutOff = new CompletableFuture<>();

        Session(Socket socket, int expected) {
            this(socket, expected, position -> true);
        }

        Session(Socket socket, int expected, LongPredicate filter) {
            this.socket = socket;
            this.expected = expected;
            this.filter = filter;
        }

        @Override
        public boolean wants(Writer.Applied entry) {
            return filter.test(entry.position());
        }

        @Override
        public Sink sink() {
            return socket;
        }

        @Override
        public void deliver(Writer.Applied entry) {
            if (!wants(entry)) {
                return;
            }
            socket.send("frame", entry.position());
            if (socket.sent.size() == expected) {
                cutOff.complete(false);
            }
        }

        @Override
        public void overflowed() {
            socket.refuse("SLOW_CONSUMER");
            cutOff.complete(true);
        }
    }

    private static List<Writer.Applied> batch(long from, int size) {
        List<Writer.Applied> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(new Writer.Applied(from + i, new Entry.LogAppended(1, 0, 0, 0, "line\n")));
        }
        return batch;
    }

    /**
     * An outbox of bound 100 (ceiling 1,600) and a socket of 300 frames: {@code held} entries offered while the
     * history is sent, then {@code live} after the hold ends, ten at a time.
     */
    private boolean run(int held, int live, boolean reads, Socket[] socket) throws Exception {
        Context context = vertx.getOrCreateContext();
        socket[0] = new Socket(context, 300, reads);
        Session session = new Session(socket[0], held + live);
        Outbox outbox = new Outbox(context, session, 100, 1L << 30);
        outbox.offer(batch(0, held));
        CompletableFuture<Void> released = new CompletableFuture<>();
        context.runOnContext(v -> {
            outbox.release();
            released.complete(null);
        });
        released.get(10, TimeUnit.SECONDS);
        for (int p = held; p < held + live; p += 10) {
            outbox.offer(batch(p, 10));
        }
        return session.cutOff.get(10, TimeUnit.SECONDS);
    }

    @Test
    void whatWaitedForTheHistoryGoesWholeToAClientThatReads() throws Exception {
        Socket[] socket = new Socket[1];
        // 1,000 entries wait for the history: ten times the bound, and more than the socket takes at once. The 50
        // that follow at once are within the bound.
        assertFalse(run(1_000, 50, true, socket), "cut off while it read");
        assertEquals(1_050, socket[0].sent.size());
        for (int i = 0; i < socket[0].sent.size(); i++) {
            assertEquals(i, socket[0].sent.get(i), "in order, no gap");
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffOnceTheBoundWaitsBehindItsSocket() throws Exception {
        Socket[] socket = new Socket[1];
        assertTrue(run(0, 1_000, false, socket), "not cut off");
        assertTrue(socket[0].sent.size() <= 300, "sent no more than its buffers took: " + socket[0].sent.size());
    }

    @Test
    void aClientThatStopsReadingAfterAHeldBacklogIsCutOffToo() throws Exception {
        Socket[] socket = new Socket[1];
        // What waited for the history is owed beyond the bound only until it is sent; it never is.
        assertTrue(run(1_000, 1_000, false, socket), "not cut off");
    }

    /** Runs {@code task} on {@code context} and waits for it, after whatever the context had queued before it. */
    private static void on(Context context, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(10, TimeUnit.SECONDS);
    }

    /**
     * A follower of bound 100 whose filter takes the even positions below 600, then those {@code filter} takes: the
     * first 600 fill its socket (300 frames), then its client stalls while 5,000 more are recorded, in batches of
     * 1,000 that each drain takes whole. Returns whether it was cut off by then.
     */
    private boolean stalledWhile5000More(LongPredicate filter, Socket[] socket, Session[] session) throws Exception {
        Context context = vertx.getOrCreateContext();
        socket[0] = new Socket(context, 300, false);
        LongPredicate wants = p -> p < 600 ? p % 2 == 0 : filter.test(p);
        int expected = (int) java.util.stream.LongStream.range(0, 5_600).filter(wants).count();
        session[0] = new Session(socket[0], expected, wants);
        Outbox outbox = new Outbox(context, session[0], 100, 1L << 30);
        on(context, outbox::release);
        outbox.offer(batch(0, 600));
        on(context, () -> assertTrue(socket[0].full(), "the first 600 fill the socket"));
        for (int p = 600; p < 5_600; p += 1_000) {
            outbox.offer(batch(p, 1_000));
            on(context, () -> { });
        }
        return session[0].cutOff.isDone();
    }

    @Test
    void entriesAFollowersFilterPassesOverDoNotCountBehindItsFullSocket() throws Exception {
        Socket[] socket = new Socket[1];
        Session[] session = new Session[1];
        // 50 of the 5,000 are wanted: within the bound of 100, however many others came.
        assertFalse(stalledWhile5000More(p -> p % 100 == 0, socket, session), "cut off while 50 wanted waited");
        on(socket[0].context(), socket[0]::startReading);
        assertFalse(session[0].cutOff.get(10, TimeUnit.SECONDS), "cut off");
        List<Long> sent = socket[0].sent;
        assertEquals(350, sent.size());
        assertEquals(598L, sent.get(299));
        assertEquals(600L, sent.get(300));
        assertEquals(5_500L, sent.get(349));
    }

    @Test
    void aStalledFollowerIsCutOffOnceWhatItsFilterWantsExceedsTheBound() throws Exception {
        // 500 of the 5,000 are wanted.
        assertTrue(stalledWhile5000More(p -> p % 10 == 0, new Socket[1], new Session[1]), "not cut off");
    }
}
