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
}
