package io.actionlog.http.waldur;

import io.actionlog.http.JsonBytes;
import io.actionlog.index.Row;
import io.actionlog.store.ActionReader;
import io.actionlog.store.PageEntries;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * A list page written as its rows are read. Django REST framework clients count on a page holding {@code page_size}
 * rows (the {@code Link} header numbers pages), so a page is never cut short; a large one instead goes out in chunks
 * of about {@link #CHUNK} bytes, the next rows being read only once the response's write queue has room. A page
 * that fits in one chunk goes out whole with a {@code Content-Length}. Memory: the stored entries held (at most
 * http.max_page_bytes, see {@link PageEntries}), one chunk and one row (whose texts the field limits bound).
 */
final class WaldurPage {
    static final int CHUNK = 64 * 1024;

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final ActionReader reader;
    private final PageEntries entries;
    private final List<Row> rows;
    private final JsonBytes out = new JsonBytes(4096);
    private int next;

    WaldurPage(RoutingContext ctx, ActionReader reader, List<Row> rows, long maxHeldBytes) {
        this.ctx = ctx;
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
                while (next < rows.size() && out.length() < CHUNK) {
                    Row row = rows.get(next);
                    WaldurView.write(out, reader.current(entries.get(next), row), row);
                    next++;
                }
                if (next == rows.size()) {
                    out.endArray();
                    response.end(body());
                    return;
                }
                response.setChunked(true).write(body());
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
