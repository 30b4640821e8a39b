package io.actionlog.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A response body too large to hold, written in chunked encoding as a worker thread reads it a chunk at a time.
 * Each chunk is read on a worker (reads block on the journal) and written on the request's event loop; the next is
 * read only once the response's write queue has room again, so a slow client holds at most one chunk in memory and
 * the event loop never waits on a read. The caller sets the status and headers, then calls {@link #start}.
 */
public final class ChunkedDownload {
    private static final Logger LOG = Logger.getLogger(ChunkedDownload.class.getName());

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Callable<Buffer> chunks;

    /** {@code chunks} returns the next chunk, or null once the body is complete; it is never called concurrently. */
    private ChunkedDownload(RoutingContext ctx, Callable<Buffer> chunks) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.chunks = chunks;
    }

    public static void start(RoutingContext ctx, Callable<Buffer> chunks) {
        ctx.response().setChunked(true);
        new ChunkedDownload(ctx, chunks).step();
    }

    private void step() {
        if (response.closed()) {
            return;
        }
        ctx.vertx().executeBlocking(chunks, false).onComplete(ar -> {
            try {
                if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    write(ar.result());
                }
            } catch (Throwable t) {
                fail(t);
            }
        });
    }

    private void write(Buffer chunk) {
        if (chunk == null) {
            response.end();
            return;
        }
        response.write(chunk);
        if (response.writeQueueFull()) {
            response.drainHandler(v -> step());
        } else {
            step();
        }
    }

    /** Before the first byte, the face's failure handler answers; after it, the client sees a cut-off stream. */
    private void fail(Throwable t) {
        if (!response.headWritten()) {
            ctx.fail(t);
            return;
        }
        LOG.log(Level.WARNING, ctx.request().path() + " cut off after a failure", t);
        response.reset();
    }
}
