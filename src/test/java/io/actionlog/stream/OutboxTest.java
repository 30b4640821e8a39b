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

    /**
     * A socket whose buffers take {@code room} frames, then are full until its client reads (if it does). Its drain
     * handler is Vert.x's: it stays until another replaces it, and runs at every drain.
     */
    private static final class Socket implements Sink {
        private final Context context;
        private final int room;
        private boolean reads;
        private Runnable drainHandler;
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
            drainHandler = then;
            if (reads) {
                context.runOnContext(v -> drained());
            }
        }

        /** Context only: the client took what the buffers held; the drain handler, if any, runs. */
        private void drained() {
            buffered = 0;
            if (drainHandler != null) {
                drainHandler.run();
            }
        }

        /** Context only: the client stops reading. */
        void stopReading() {
            reads = false;
        }

        /** Context only: a client that stalled reads what its buffers hold, and goes on reading. */
        void startReading() {
            reads = true;
            drained();
        }

        /** Context only: a frame that is not an entry's (a keep-alive), written whether the socket is full or not. */
        void keepAlive() {
            buffered++;
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
        /** Set to a session that reads the journal, whose store the positions alone stand in for. */
        Outbox catchesUp;
        final List<String> caughtUp = new ArrayList<>();
        private boolean replaying;
        private long replayTo;
        /** A replay that never ends: a client that reads more slowly than the writer writes. */
        boolean neverDone;
        private long replayStep;

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

        /**
         * Sends the positions as from the journal, on a later turn of the loop and paced by the socket as a replay is,
         * then releases the outbox; while it does, a catch-up only moves its end on, as the events session's does.
         */
        @Override
        public boolean catchesUp() {
            return catchesUp != null;
        }

        @Override
        public void catchUp(long from, long to) {
            caughtUp.add(from + "-" + to);
            if (neverDone) {
                return;
            }
            if (replaying) {
                replayTo = Math.max(replayTo, to);
            } else {
                replaying = true;
                replayTo = to;
                socket.context().runOnContext(v -> replay(from));
            }
        }

        private void replay(long from) {
            long p = from;
            for (; p < replayTo && !socket.full(); p++) {
                deliver(new Writer.Applied(p, null));
            }
            if (p < replayTo) {
                long next = p;
                long step = ++replayStep; // as the events session: only this step's handler goes on, once
                socket.onDrain(() -> {
                    if (replaying && replayStep == step) {
                        replayStep++;
                        replay(next);
                    }
                });
            } else {
                replaying = false;
                catchesUp.release();
            }
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
        assertEachPositionOnceInOrder(socket[0].sent);
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

    /**
     * A follower of bound 100 (catching up past 800, cut off past 1,600) whose client reads, or has stalled with its
     * socket full of the first 300: its event loop is held up while 1,000 entries are recorded, then 1,000 more come.
     */
    private Session behind(boolean reads, boolean catchesUp) throws Exception {
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, reads);
        Session session = new Session(socket, 2_300);
        Outbox outbox = new Outbox(context, session, 100, 1L << 30);
        session.catchesUp = catchesUp ? outbox : null;
        on(context, outbox::release);
        outbox.offer(batch(0, 300));
        on(context, () -> { });
        java.util.concurrent.CountDownLatch loopBusy = busy(context);
        outbox.offer(batch(300, 1_000));
        loopBusy.countDown();
        on(context, () -> { });
        // Live entries once the catch-up is done (or the follower cut off), each batch taken before the next comes:
        // a client that keeps up with them.
        for (int i = 0; i < 1_000 && socket.sent.size() < 1_300 && !session.cutOff.isDone(); i++) {
            on(context, () -> { });
        }
        for (int p = 1_300; p < 2_300; p += 100) {
            outbox.offer(batch(p, 100));
            on(context, () -> { });
        }
        return session;
    }

    @Test
    void aReadingFollowerWhoseEventLoopFellBehindCatchesUpFromTheJournalInOrder() throws Exception {
        Session session = behind(true, true);
        assertFalse(session.cutOff.get(10, TimeUnit.SECONDS), "cut off");
        assertEquals(List.of("300-1300"), session.caughtUp);
        List<Long> sent = session.socket.sent;
        assertEquals(2_300, sent.size());
        assertEachPositionOnceInOrder(sent);
    }

    @Test
    void aFollowerWhoseSocketIsFullWhenItsEventLoopFellBehindIsCutOff() throws Exception {
        Session session = behind(false, true);
        assertTrue(session.cutOff.get(10, TimeUnit.SECONDS), "not cut off");
        assertEquals(List.of(), session.caughtUp);
    }

    @Test
    void aFollowerThatCannotReadTheJournalIsCutOffWhenItsEventLoopFellBehind() throws Exception {
        // A logs follower: only the events session reads the journal to catch up.
        assertTrue(behind(true, false).cutOff.get(10, TimeUnit.SECONDS), "not cut off");
    }

    @Test
    void entriesLetGoAfterTheHoldDoNotUseUpTheGrantOfThoseWaitingForTheHistory() throws Exception {
        // 1,000 wanted entries wait for the history; the socket takes 300 and its client then waits, so 700 wait set
        // aside, within the grant. Another user's 5,000, which the follower does not want, must not use it up.
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, false);
        Session session = new Session(socket, 1_000, p -> p < 1_000);
        Outbox outbox = new Outbox(context, session, 100, 1L << 30);
        outbox.offer(batch(0, 1_000));
        on(context, outbox::release);
        outbox.offer(batch(1_000, 5_000));
        for (int turns = 0; turns < 1_000 && on(context, outbox::waiting)[0] > 700; turns++) {
            Thread.onSpinWait(); // until the loop walked past all 5,000
        }
        assertEquals(700, on(context, outbox::waiting)[0]);
        assertFalse(session.cutOff.isDone(), "cut off by entries it never wanted");
        on(context, socket::startReading);
        assertFalse(session.cutOff.get(10, TimeUnit.SECONDS));
        assertEquals(1_000, socket.sent.size());
    }

    @Test
    void aFilterThatFailsClosesTheStreamRatherThanLeaveAGap() throws Exception {
        Context context = vertx.getOrCreateContext();
        List<Throwable> loopErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        context.exceptionHandler(loopErrors::add);
        Socket socket = new Socket(context, 3, false);
        // A filter that reads the journal may fail (an entry dropped by retention meanwhile, a read error).
        Session session = new Session(socket, 10, p -> {
            if (p == 5) {
                throw new IllegalStateException("the journal could not be read");
            }
            return true;
        });
        Outbox outbox = new Outbox(context, session, 100, 1L << 30);
        on(context, outbox::release);
        outbox.offer(batch(0, 10));
        on(context, () -> { });
        assertTrue(socket.closed(), "still open");
        assertEquals(List.of(0L, 1L, 2L), socket.sent);
        assertEquals(1, loopErrors.size(), loopErrors.toString());
    }

    /**
     * Batches of random sizes from another thread, a loop that falls behind at times, a client that reads or (odd
     * seeds) stalls and reads again at random, a filter that
     * takes about a third or a fortieth, a session that catches up from the journal or cannot: what the client gets is
     * always the wanted positions in order, without a gap or a duplicate, all of them unless it was cut off; and
     * then nothing is left counted.
     */
    @Test
    void whatAFollowerGetsIsAlwaysTheWantedPositionsInOrder() throws Exception {
        for (int seed = 1; seed <= 40; seed++) {
            java.util.Random random = new java.util.Random(seed);
            Context context = vertx.getOrCreateContext();
            // A client that reads takes any one batch; one that stalls has little room.
            Socket socket = new Socket(context, seed % 2 == 0 ? 2_000 : 1 + random.nextInt(50), true);
            long salt = random.nextLong();
            int share = seed % 4 == 1 ? 40 : 3;
            LongPredicate filter = p -> Math.floorMod(Long.hashCode(p * 0x9E3779B97F4A7C15L ^ salt), share) == 0;
            Session session = new Session(socket, -1, filter);
            int bound = seed % 2 == 0 ? 1_500 + random.nextInt(500) : 100 + random.nextInt(300);
            Outbox outbox = new Outbox(context, session, bound, 1L << 30);
            session.catchesUp = seed % 3 == 0 ? null : outbox;
            long p = 0;
            for (int i = random.nextInt(5); i > 0; i--) {
                int n = 1 + random.nextInt(400);
                outbox.offer(batch(p, n));
                p += n;
            }
            // The hold ends as the events session ends it: through its replay, here of no history.
            long history = p;
            on(context, () -> {
                if (session.catchesUp()) {
                    session.catchUp(history, history);
                } else {
                    outbox.release();
                }
            });
            for (int i = 0; i < 200; i++) {
                int n = 1 + random.nextInt(random.nextBoolean() ? 20 : 1_500);
                // A client that reads lets the loop catch up with the writer between the times it falls behind.
                for (int turns = 0; seed % 2 == 0 && turns < 1_000 && on(context, outbox::waiting)[0] > bound;
                        turns++) {
                    Thread.onSpinWait();
                }
                if (random.nextInt(8) == 0) {
                    // The loop is busy elsewhere while batches come: it falls behind by up to 12 times the bound.
                    long behind = on(context, outbox::waiting)[0];
                    java.util.concurrent.CountDownLatch busy = busy(context);
                    for (; behind + n <= 12L * bound; n = 1 + random.nextInt(1_500)) {
                        outbox.offer(batch(p, n));
                        p += n;
                        behind += n;
                    }
                    busy.countDown();
                    continue;
                }
                outbox.offer(batch(p, n));
                p += n;
                if (seed % 2 == 1 && random.nextInt(10) == 0) {
                    boolean read = random.nextBoolean();
                    context.runOnContext(v -> {
                        if (read) {
                            socket.startReading();
                        } else {
                            socket.stopReading();
                        }
                    });
                }
            }
            on(context, socket::startReading);
            long total = p;
            List<Long> expected = java.util.stream.LongStream.range(0, total).filter(filter).boxed().toList();
            for (int i = 0; i < 2_000 && !session.cutOff.isDone(); i++) {
                if (on(context, () -> socket.sent.size()) == expected.size()) {
                    break;
                }
                Thread.sleep(1);
            }
            List<Long> sent = on(context, () -> new ArrayList<>(socket.sent));
            assertEquals(expected.subList(0, sent.size()), sent, "seed " + seed + ": in order, no gap");
            assertTrue(seed % 2 == 1 || !session.cutOff.isDone(), "seed " + seed + ": cut off while it read");
            if (!session.cutOff.isDone()) {
                assertEquals(expected.size(), sent.size(), "seed " + seed + ": all of it");
                long[] waiting = on(context, outbox::waiting);
                assertEquals(0, waiting[0], "seed " + seed + ": entries left counted");
                assertEquals(0, waiting[1], "seed " + seed + ": bytes left counted");
            }
        }
    }

    /** Runs {@code task} on {@code context} and gives its result. */
    private static <T> T on(Context context, java.util.function.Supplier<T> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> done.complete(task.get()));
        return done.get(10, TimeUnit.SECONDS);
    }

    /** Holds the context's event loop, as other work would, until the latch it gives is counted down (10 s at most). */
    private static java.util.concurrent.CountDownLatch busy(Context context) throws InterruptedException {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        context.runOnContext(v -> {
            started.countDown();
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Only once it runs is the loop busy: a drain queued before it (by a release) could otherwise still be
        // running while the test offers, and take a batch the test counts on finding queued.
        assertTrue(started.await(10, TimeUnit.SECONDS), "the loop never became busy");
        return latch;
    }

    /** A follower whose replay never ends, with the given time it may stay held; twice 1,000 entries fall behind. */
    private Session catchingUpWithoutEnd(long heldNanos) throws Exception {
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, true);
        Session session = catchingUp(socket, heldNanos);
        session.neverDone = true;
        Outbox outbox = session.catchesUp;
        for (int round = 0; round < 2; round++) {
            java.util.concurrent.CountDownLatch loopBusy = busy(context);
            outbox.offer(batch(round * 1_000L, 1_000));
            loopBusy.countDown();
            on(context, () -> { });
        }
        return session;
    }

    @Test
    void aFollowerThatKeepsCatchingUpPastTheHeldTimeIsCutOff() throws Exception {
        Session session = catchingUpWithoutEnd(0);
        assertTrue(session.cutOff.get(10, TimeUnit.SECONDS), "not cut off");
        assertEquals(List.of("0-1000"), session.caughtUp);
    }

    @Test
    void aFollowerCatchingUpWithinTheHeldTimeHasItsReplayExtended() throws Exception {
        Session session = catchingUpWithoutEnd(TimeUnit.SECONDS.toNanos(60));
        assertFalse(session.cutOff.isDone(), "cut off");
        assertEquals(List.of("0-1000", "1000-2000"), session.caughtUp);
    }

    @Test
    void aDrainAfterACatchUpEndedDoesNotSendItAgain() throws Exception {
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, true);
        Session session = catchingUp(socket, Outbox.PATIENCE_NANOS);
        Outbox outbox = session.catchesUp;
        java.util.concurrent.CountDownLatch loopBusy = busy(context);
        outbox.offer(batch(0, 1_000));
        loopBusy.countDown();
        untilSent(context, socket, 1_000); // the catch-up, paced: its last step left a drain handler behind
        on(context, () -> socket.buffered = 0);
        outbox.offer(batch(1_000, 299)); // the socket takes them without filling
        on(context, () -> { });
        on(context, () -> {
            socket.keepAlive(); // now it is full, and the next drain runs whatever handler is left
            socket.drained();
        });
        on(context, () -> { });
        List<Long> sent = on(context, () -> new ArrayList<>(socket.sent));
        assertEquals(1_299, sent.size(), "each sent once");
        assertEachPositionOnceInOrder(sent);
    }

    @Test
    void batchesTheWriterLetGoPastTheCeilingAreCaughtUpFromTheJournal() throws Exception {
        // Bound 100, ceiling 1,600: of 3,000 entries offered while the loop is busy, the writer queues 2,000 and lets
        // the last 1,000 go; the catch-up covers them all, and live entries follow.
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, true);
        Session session = catchingUp(socket, Outbox.PATIENCE_NANOS);
        Outbox outbox = session.catchesUp;
        java.util.concurrent.CountDownLatch loopBusy = busy(context);
        for (int p = 0; p < 3_000; p += 500) {
            outbox.offer(batch(p, 500));
        }
        assertEquals(2_000, outbox.waiting()[0], "queued before the ceiling");
        loopBusy.countDown();
        untilSent(context, socket, 3_000);
        outbox.offer(batch(3_000, 100));
        untilSent(context, socket, 3_100);
        assertFalse(session.cutOff.isDone(), "cut off");
        assertEquals(List.of("0-3000"), session.caughtUp);
        List<Long> sent = on(context, () -> new ArrayList<>(socket.sent));
        assertEquals(3_100, sent.size());
        assertEachPositionOnceInOrder(sent);
    }

    @Test
    void aFullSocketWhoseEntriesTheWriterLetGoIsCutOffOnceItsPatienceEnds() throws Exception {
        Context context = vertx.getOrCreateContext();
        Socket socket = new Socket(context, 300, false);
        Session session = catchingUp(socket, 0);
        Outbox outbox = session.catchesUp;
        outbox.offer(batch(0, 300)); // fills the socket; its client reads no more
        on(context, () -> { });
        java.util.concurrent.CountDownLatch loopBusy = busy(context);
        for (int p = 300; p < 3_300; p += 500) {
            outbox.offer(batch(p, 500));
        }
        loopBusy.countDown();
        assertTrue(session.cutOff.get(10, TimeUnit.SECONDS), "not cut off");
    }

    /** Positions 0 to {@code sent.size() - 1}, each once, in order. */
    private static void assertEachPositionOnceInOrder(List<Long> sent) {
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i), "in order, no gap");
        }
    }

    /** Waits, a thousand turns of the loop at most, until the socket was sent {@code frames} frames. */
    private static void untilSent(Context context, Socket socket, int frames) throws Exception {
        for (int i = 0; i < 1_000 && on(context, () -> socket.sent.size()) < frames; i++) {
            Thread.onSpinWait();
        }
    }

    /** A session of bound 100 on this socket that catches up ({@code catchesUp} is its outbox), its hold ended. */
    private static Session catchingUp(Socket socket, long patienceNanos) throws Exception {
        Session session = new Session(socket, -1);
        Outbox outbox = new Outbox(socket.context(), session, 100, 1L << 30, patienceNanos, patienceNanos);
        session.catchesUp = outbox;
        on(socket.context(), outbox::release);
        return session;
    }
}
