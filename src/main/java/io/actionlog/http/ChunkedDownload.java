package io.actionlog.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A response body too large to hold, written in chunked encoding as a worker thread reads it a chunk at a time.
 * Each chunk is read on a worker (reads block on the journal) and written on the request's event loop. One chunk is
 * read ahead: while the socket sends one, the worker reads the next, so reading and sending overlap instead of
 * taking turns. The next read starts only once the chunk read ahead went into the response and its write queue had
 * room, so a slow client holds at most the chunk read ahead and what the write queue holds, and the event loop never
 * waits on a read. The caller sets the status and headers, then calls {@link #start}. Its state is the event loop's.
 */
public final class ChunkedDownload {
    private static final Logger LOG = Logger.getLogger(ChunkedDownload.class.getName());
    /**
     * What the response may hold queued before reading stops: a few chunks, so that the socket always has bytes to
     * send while the worker reads the next (the default of 64 KiB made every chunk fill it).
     */
    static final int WRITE_QUEUE_BYTES = 1 << 20;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Callable<Buffer> chunks;
    /** A chunk read but not yet written; {@code reading}: a read is running; {@code done}: the body was read whole. */
    private Buffer ahead;
    private boolean reading;
    private boolean done;

    /** {@code chunks} returns the next chunk, or null once the body is complete; it is never called concurrently. */
    private ChunkedDownload(RoutingContext ctx, Callable<Buffer> chunks) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.chunks = chunks;
    }

    public static void start(RoutingContext ctx, Callable<Buffer> chunks) {
        ctx.response().setChunked(true).setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        new ChunkedDownload(ctx, chunks).read();
    }

    private void read() {
        if (response.closed() || reading || done || ahead != null) {
            return;
        }
        reading = true;
        ctx.vertx().executeBlocking(chunks, false).onComplete(ar -> {
            reading = false;
            try {
                if (ar.failed()) {
                    fail(ar.cause());
                } else {
                    ahead = ar.result();
                    done = ahead == null;
                    write();
                }
            } catch (Throwable t) {
                fail(t);
            }
        });
    }

    /** Writes the chunk read ahead, if the write queue has room (else once it drains), and reads the next. */
    private void write() {
        if (response.closed()) {
            return;
        }
        if (done && !reading && ahead == null) {
            response.end();
            return;
        }
        if (ahead == null) {
            return;
        }
        if (response.writeQueueFull()) {
            response.drainHandler(v -> write());
            return;
        }
        response.write(ahead);
        ahead = null;
        read();
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
