package io.actionlog.http.tutum;

import io.actionlog.store.LogChain;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/v1/action/<uuid>/logs/}: all of an action's logs as {@code text/plain; charset=utf-8}, chunked.
 * The journal is read a step at a time on a worker thread ({@link LogChain.Reading}); each step is written on the
 * request's event loop, and the next one is read only once the response's write queue has room again, so a slow
 * client holds at most one step in memory, whatever the size of the logs.
 */
final class LogsDownload {
    private static final Logger LOG = Logger.getLogger(LogsDownload.class.getName());
    /** Characters of logs read and written per step. */
    static final int STEP_CHARS = 256 * 1024;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final LogChain.Reading reading;

    LogsDownload(RoutingContext ctx, LogChain.Reading reading) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.reading = reading;
    }

    void start() {
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
        step();
    }

    private void step() {
        if (response.closed()) {
            return;
        }
        ctx.vertx().executeBlocking(() -> reading.next(STEP_CHARS), false).onComplete(ar -> {
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

    private void write(List<String> pieces) {
        if (pieces.isEmpty()) {
            response.end();
            return;
        }
        for (String piece : pieces) {
            response.write(piece);
        }
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
        LOG.log(Level.WARNING, "logs of " + ctx.request().path() + " cut off after a failure", t);
        response.reset();
    }
}
