package io.actionlog.http.waldur;

import io.actionlog.http.Callers;
import io.actionlog.http.JsonBytes;
import io.actionlog.http.SendBudget;
import io.actionlog.index.Row;
import io.actionlog.store.ActionReader;
import io.actionlog.store.PageEntries;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * A list page written as its rows are read. Django REST framework clients count on a page holding {@code page_size}
 * rows (the {@code Link} header numbers pages), so a page is never cut short; a large one instead goes out in chunks
 * of about {@link #CHUNK} bytes, the next rows being read only once the response's write queue has room. A page
 * that fits in one chunk goes out whole with a {@code Content-Length}. Memory: the stored entries held (at most
 * http.max_page_bytes, see {@link PageEntries}), one chunk and one row (whose texts the field limits bound). Each
 * chunk is counted against the process's {@link SendBudget} until the connection took it; while the budget is
 * spent, the next chunk waits ({@link #BUDGET_WAIT_MS} at a time).
 */
final class WaldurPage {
    static final int CHUNK = 64 * 1024;
    static final long BUDGET_WAIT_MS = 100;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final ActionReader reader;
    private final PageEntries entries;
    private final List<Row> rows;
    private final JsonBytes out = new JsonBytes(4096);
    private final SendBudget sends;
    /** Whose share of the budget the chunks take. */
    private final String caller;
    private int next;
    /** {@link #out} holds a chunk not yet written (the budget was spent); {@code last}: the page's last. */
    private boolean ready;
    private boolean last;

    WaldurPage(RoutingContext ctx, ActionReader reader, List<Row> rows, long maxHeldBytes, SendBudget sends) {
        this.ctx = ctx;
        this.sends = sends;
        this.caller = Callers.of(ctx).name();
        this.response = ctx.response();
        this.reader = reader;
        this.rows = rows;
        this.entries = reader.page(rows, maxHeldBytes);
    }

    void start() {
        out.startArray();
        write();
    }

    private void write() {
        try {
            while (!response.closed()) {
                if (!ready) {
                    while (next < rows.size() && out.length() < CHUNK) {
                        Row row = rows.get(next);
                        WaldurView.write(out, reader.current(entries.get(next), row), row);
                        next++;
                    }
                    last = next == rows.size();
                    if (last) {
                        out.endArray();
                    }
                    ready = true;
                }
                int bytes = out.length();
                boolean counted = bytes >= SendBudget.SMALL;
                if (counted && !sends.take(caller, bytes)) {
                    ctx.vertx().setTimer(BUDGET_WAIT_MS, id -> write());
                    return;
                }
                Future<Void> sent = last ? response.end(body()) : response.setChunked(true).write(body());
                if (counted) {
                    sent.onComplete(ar -> sends.give(caller, bytes));
                }
                ready = false;
                if (last) {
                    return;
                }
                out.rewind(0);
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> write());
                    return;
                }
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    private Buffer body() {
        return out.appendTo(Buffer.buffer(out.length()));
    }

    /** Before the first chunk, the face's failure handler answers; after it, the client sees a cut-off body. */
    private void fail(Throwable t) {
        if (!response.headWritten()) {
            ctx.fail(t);
        } else {
            response.reset();
            if (t instanceof Error e) {
                throw e;
            }
        }
    }
}
