package io.actionlog.http.tutum;

import io.actionlog.http.ChunkedDownload;
import io.actionlog.http.SendBudget;
import io.actionlog.store.LogChain;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /api/v1/action/<uuid>/logs/}: all of an action's logs as {@code text/plain; charset=utf-8}, chunked,
 * read from the journal a step at a time ({@link LogChain.Reading}) as the client takes them, so a slow client holds
 * at most one step in memory, whatever the size of the logs.
 */
final class LogsDownload {
    /** Characters of logs read and written per step. */
    static final int STEP_CHARS = 256 * 1024;

    private LogsDownload() {
    }

    static void start(RoutingContext ctx, SendBudget sends, LogChain.Reading reading) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
        ChunkedDownload.start(ctx, sends, chunk -> {
            List<String> pieces = reading.next(STEP_CHARS);
            pieces.forEach(piece -> chunk.writeBytes(piece.getBytes(StandardCharsets.UTF_8)));
            return !pieces.isEmpty();
        });
    }
}
