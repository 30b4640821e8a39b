package io.actionlog.http.tutum;

import io.actionlog.http.ChunkedDownload;
import io.actionlog.http.SendBudget;
import io.actionlog.journal.PositionDroppedException;
import io.actionlog.store.ActionStore;
import io.actionlog.store.LogChain;
import io.netty.buffer.ByteBuf;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/action/<uuid>/logs/}: all of an action's logs as {@code text/plain; charset=utf-8}, chunked,
 * read from the journal a step at a time ({@link LogChain.Reading}) as the client takes them, so a slow client holds
 * at most one step in memory, whatever the size of the logs.
 *
 * <p>Retention may carry a running action forward while its logs are sent: its entries are copied, the same texts in
 * the same order, and the old ones dropped. The download then goes on from the copy, past the characters already
 * sent, rather than ending cut short; an action that expired meanwhile ends it cut short, as its logs are gone.
 */
final class LogsDownload implements ChunkedDownload.Source {
    /** Characters of logs read and written per step. */
    static final int STEP_CHARS = 256 * 1024;
    /** Readings started again after drops before the download gives up (each drop follows a retention run). */
    private static final int RESTARTS = 3;

    private final ActionStore store;
    private final UUID uuid;
    private LogChain.Reading reading;
    /** Characters sent so far, and those a reading started again must pass over before it sends. */
    private long sent;
    private long skip;
    private int restarts;

    private LogsDownload(ActionStore store, ActionStore.Found found) {
        this.store = store;
        this.uuid = found.created().data().uuid();
        this.reading = store.reader().logs().all(found.row());
    }

    static void start(RoutingContext ctx, SendBudget sends, ActionStore store, ActionStore.Found found) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
        ChunkedDownload.start(ctx, sends, new LogsDownload(store, found));
    }

    @Override
    public boolean next(ByteBuf chunk) {
        while (true) {
            List<String> pieces;
            try {
                pieces = reading.next(STEP_CHARS);
            } catch (PositionDroppedException e) {
                ActionStore.Found carried = store.find(uuid);
                if (carried == null || ++restarts > RESTARTS) {
                    throw e;
                }
                reading = store.reader().logs().all(carried.row());
                skip = sent;
                continue;
            }
            if (pieces.isEmpty()) {
                return false;
            }
            boolean wrote = false;
            for (String piece : pieces) {
                String rest = piece;
                if (skip > 0) {
                    int passed = (int) Math.min(skip, piece.length());
                    skip -= passed;
                    rest = piece.substring(passed);
                }
                if (!rest.isEmpty()) {
                    chunk.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
                    sent += rest.length();
                    wrote = true;
                }
            }
            if (wrote) {
                return true;
            }
        }
    }
}
