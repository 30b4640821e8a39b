package io.actionlog.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of answers handed to connections whose clients have not taken them yet, for the whole process, held
 * to {@code http.max_unsent_bytes}. Each answer is bounded (a page, a proof, a download's few chunks), but a client
 * that asks and never reads pins its answer until the idle timeout cuts its connection, and ten thousand
 * connections each pinning a 4 MiB page would exhaust any heap. An answer of {@link #SMALL} bytes or more takes its
 * size from the budget when it is handed over and gives it back once the connection took it (or closed); one that
 * does not fit is a 503 (a page, a proof) or waits (a download's next chunk). One caller (a credential) holds at
 * most a {@link #SHARE}th of the budget, so that one client's unread answers leave room for everyone else's. When
 * nothing is held (by anyone, or by the caller for its share), any answer fits, so one larger than the whole budget
 * still goes out alone.
 */
public final class SendBudget {
    /** Below this an answer is not counted: the kernel's send buffer of its connection takes it whole. */
    public static final int SMALL = 16 * 1024;
    /** One caller's part of the budget: a quarter. */
    static final int SHARE = 4;

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    /** What each caller holds now; a caller holding nothing has no entry. */
    private final ConcurrentHashMap<String, Long> byCaller = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    public SendBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} for {@code caller} if they fit in its share and in the budget; false (counted) if not. */
    public boolean take(String caller, long bytes) {
        if (takeRoom(caller, bytes)) {
            return true;
        }
        refused.increment();
        return false;
    }

    /** As {@link #take}, not counted as a refusal when it does not fit: a stream's room, asked again shortly. */
    public boolean takeRoom(String caller, long bytes) {
        boolean[] fits = {false};
        byCaller.compute(caller, (who, mine) -> {
            long now = mine == null ? 0 : mine;
            fits[0] = now == 0 || now + bytes <= limit / SHARE;
            return fits[0] ? Long.valueOf(now + bytes) : mine;
        });
        if (fits[0] && takeFromAll(bytes)) {
            return true;
        }
        if (fits[0]) {
            release(caller, bytes);
        }
        return false;
    }

    public void give(String caller, long bytes) {
        held.addAndGet(-bytes);
        release(caller, bytes);
    }

    private boolean takeFromAll(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    private void release(String caller, long bytes) {
        byCaller.computeIfPresent(caller, (who, mine) -> mine - bytes <= 0 ? null : mine - bytes);
    }

    /**
     * A 503 before any work when an answer of up to {@code bound} bytes (its size unknown until it is built) would
     * not fit, in the caller's share or in the budget, so that a burst of requests for large answers does not build
     * them only to refuse them: reading a page and writing its JSON cost about what the answer does. While the
     * budget is that full, small answers of these routes are refused too.
     */
    public void refuseIfSpent(RoutingContext ctx, long bound) {
        long all = held.get();
        Long mine = byCaller.get(caller(ctx));
        if (all > 0 && all + bound > limit || mine != null && mine + bound > limit / SHARE) {
            refused.increment();
            throw spent();
        }
    }

    /**
     * Room for an answer about to be built off the event loop, of up to about {@code bound} bytes: taken before
     * the work (a 503 when it does not fit), so that the workers never build more than the budget holds, and
     * settled to the answer's real size once built.
     */
    public Reservation reserve(RoutingContext ctx, long bound) {
        String caller = caller(ctx);
        if (!take(caller, bound)) {
            throw spent();
        }
        return new Reservation(caller, bound);
    }

    /** Bytes the budget holds for one answer: reserved, then its real size (0 for a small one) until it is sent. */
    public final class Reservation {
        private final String caller;
        private long room;
        private Buffer body;
        private boolean cancelled;

        private Reservation(String caller, long room) {
            this.caller = caller;
            this.room = room;
        }

        /** Holds the answer's real size instead of the reservation; call on the thread that built it. */
        public Reservation settle(Buffer built) {
            hold(built.length() >= SMALL ? built.length() : 0);
            body = built;
            return this;
        }

        /** Holds {@code bytes} instead of what it held so far; nothing once cancelled (the room stays given back). */
        public void hold(long bytes) {
            if (cancelled) {
                return;
            }
            // Never refused now: the room was granted, and an answer a little past its bound is counted as it is.
            long change = bytes - room;
            held.addAndGet(change);
            byCaller.compute(caller, (who, mine) -> {
                long now = (mine == null ? 0 : mine) + change;
                return now <= 0 ? null : now;
            });
            room = bytes;
        }

        /** Gives the room back: the answer will not be sent (its build failed). */
        public void cancel() {
            give(caller, room);
            room = 0;
            cancelled = true;
        }

        /** Sends the settled answer; its bytes are given back once its connection took them, or closed. */
        public void end(RoutingContext ctx) {
            long bytes = room;
            ctx.response().end(body).onComplete(ar -> give(caller, bytes));
        }
    }

    private static HttpError spent() {
        return new HttpError(503, "too many large answers are waiting for their clients to read them; try again");
    }

    /** Whom an answer is for: the credential's name (every route that counts is behind authentication). */
    static String caller(RoutingContext ctx) {
        return Callers.of(ctx).name();
    }

    /**
     * Ends the response with {@code body}, its bytes counted until the connection took them; an answer that does
     * not fit is refused with a 503 (and {@code Retry-After}) in its face's form, by throwing from the handler.
     */
    public void end(RoutingContext ctx, Buffer body) {
        int bytes = body.length();
        if (bytes < SMALL) {
            ctx.response().end(body);
            return;
        }
        String caller = caller(ctx);
        if (!take(caller, bytes)) {
            throw spent();
        }
        ctx.response().end(body).onComplete(ar -> give(caller, bytes));
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }

    /** Answers refused, and chunks of downloads held back, because the budget was spent. */
    public long refused() {
        return refused.sum();
    }
}
