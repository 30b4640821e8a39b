package io.actionlog.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes of answers handed to connections whose clients have not taken them yet, for the whole process, held
 * to {@code http.max_unsent_bytes}. Each answer is bounded (a page, a proof, a download's few chunks), but a client
 * that asks and never reads pins its answer until the idle timeout cuts its connection, and ten thousand
 * connections each pinning a 4 MiB page would exhaust any heap. An answer of {@link #SMALL} bytes or more takes its
 * size from the budget when it is handed over and gives it back once the connection took it (or closed); one that
 * does not fit is a 503 (a page, a proof) or waits (a download's next chunk). When nothing is held, any answer
 * fits, so one larger than the whole budget still goes out alone.
 */
public final class SendBudget {
    /** Below this an answer is not counted: the kernel's send buffer of its connection takes it whole. */
    public static final int SMALL = 16 * 1024;

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final LongAdder refused = new LongAdder();

    public SendBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget if they fit, or if nothing is held; false (counted) if not. */
    public boolean take(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > limit) {
                refused.increment();
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    public void give(long bytes) {
        held.addAndGet(-bytes);
    }

    /**
     * A 503 before any work when the budget is spent, so that a burst of requests for large answers does not build
     * answers only to refuse them: reading a page and writing its JSON cost about what the answer does.
     */
    public void refuseIfSpent() {
        long now = held.get();
        if (now > 0 && now + SMALL > limit) {
            refused.increment();
            throw spent();
        }
    }

    /**
     * An answer built off the event loop takes its place in the budget there, before it is handed over: refused
     * answers are dropped on the worker instead of queueing, whole, for the event loop.
     */
    public Admitted admit(Buffer body) {
        int bytes = body.length();
        if (bytes >= SMALL && !take(bytes)) {
            throw spent();
        }
        return new Admitted(body, bytes >= SMALL ? bytes : 0);
    }

    /** An answer whose bytes the budget holds ({@code counted}, 0 for a small one) until its connection took them. */
    public final class Admitted {
        private final Buffer body;
        private final long counted;

        private Admitted(Buffer body, long counted) {
            this.body = body;
            this.counted = counted;
        }

        public void end(RoutingContext ctx) {
            ctx.response().end(body).onComplete(ar -> give(counted));
        }
    }

    private static HttpError spent() {
        return new HttpError(503, "too many large answers are waiting for their clients to read them; try again");
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
        if (!take(bytes)) {
            throw spent();
        }
        ctx.response().end(body).onComplete(ar -> give(bytes));
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
