package io.actionlog.support;

import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;

/**
 * Waiting inside a test for a {@link VertxTestContext} the test made itself (one the extension injects cannot
 * complete before the test method returns). Its checks may run on any thread; the first failure ends the wait.
 */
public final class Await {
    private Await() {
    }

    /** Returns once {@code ctx} completed; throws its failure, or an AssertionError naming {@code what} at the bound. */
    public static void completion(VertxTestContext ctx, long seconds, String what) throws Throwable {
        if (!ctx.awaitCompletion(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("not within " + seconds + " s: " + what);
        }
        if (ctx.failed()) {
            throw ctx.causeOfFailure();
        }
    }

    /**
     * Polls {@code read} until {@code done} holds for what it returned, which it returns; an AssertionError naming
     * {@code what} and the last value read at the bound. For states that announce themselves by no event (a
     * health status, a checkpoint signed on a timer).
     */
    public static <T> T until(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done, long seconds,
                              String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what + " (last seen: " + last + ")");
            }
            Thread.sleep(20);
            last = read.get();
        }
        return last;
    }
}
