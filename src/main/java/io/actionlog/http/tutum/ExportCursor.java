package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.store.ActionReader;
import io.actionlog.store.ActionStore;
import io.actionlog.store.LogChain;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Where an export stands: the matches as of the request (their ordinals and the journal size they reflect), the
 * next one to write and, while an action's logs are being written, where in them. Each call writes the next chunk
 * of about {@link #CHUNK_BYTES}; every action is read as it stood at that journal size ({@link ActionReader#asOf}),
 * so writes that come in meanwhile change nothing in it. Memory: the ordinals (4 bytes a match) and one chunk.
 * Called by one worker at a time (see {@code ChunkedDownload}).
 */
final class ExportCursor implements Callable<Buffer> {
    static final int CHUNK_BYTES = 256 * 1024;

    private final ActionStore store;
    private final ActionIndex.Matches matches;
    private final ExportFormat format;
    private final boolean withLogs;
    private int next;
    private boolean started;
    /** The action whose logs are being written, and the reading of them; null between actions. */
    private Action current;
    private LogChain.Reading logs;
    private boolean firstPiece;

    ExportCursor(ActionStore store, ActionIndex.Matches matches, ExportFormat format, boolean withLogs) {
        this.store = store;
        this.matches = matches;
        this.format = format;
        this.withLogs = withLogs;
    }

    @Override
    public Buffer call() {
        Buffer out = Buffer.buffer(CHUNK_BYTES + CHUNK_BYTES / 4);
        if (!started) {
            format.header(out, withLogs);
            started = true;
        }
        while (out.length() < CHUNK_BYTES) {
            if (logs != null) {
                writeLogs(out);
            } else if (next < matches.ordinals().length) {
                writeAction(out, matches.ordinals()[next++]);
            } else {
                break;
            }
        }
        return out.length() == 0 ? null : out;
    }

    private void writeAction(Buffer out, int ordinal) {
        ActionReader reader = store.reader();
        Row row = reader.asOf(store.row(ordinal + 1L), matches.journalSize());
        Action a = store.read(row, ActionReader.Depth.CURRENT);
        format.head(out, a, withLogs);
        if (withLogs) {
            current = a;
            logs = reader.logs().all(row);
            firstPiece = true;
        } else {
            format.tail(out, a, false);
        }
    }

    private void writeLogs(Buffer out) {
        List<String> pieces = logs.next(Math.max(1, CHUNK_BYTES - out.length()));
        if (pieces.isEmpty()) {
            format.tail(out, current, true);
            logs = null;
            current = null;
            return;
        }
        for (String piece : pieces) {
            format.logs(out, piece, firstPiece);
            firstPiece = false;
        }
    }
}
