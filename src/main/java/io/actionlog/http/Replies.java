package io.actionlog.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Answers that come after the writer: the reply is built on the request's event loop once the write completes.
 * Whatever the write or the reply throws, {@code Error}s included, fails the request, so that its face's failure
 * handler answers it: no caller waits for a reply that will never come.
 */
public final class Replies {
    private Replies() {
    }

    public static <T> void after(RoutingContext ctx, CompletionStage<T> write, Consumer<T> then) {
        Future.fromCompletionStage(write, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                // A stage composed of others fails with their failure wrapped: the face answers the failure itself.
                Throwable cause = ar.cause();
                ctx.fail(cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause);
                return;
            }
            try {
                then.accept(ar.result());
            } catch (Throwable t) {
                ctx.fail(t);
            }
        });
    }
}
