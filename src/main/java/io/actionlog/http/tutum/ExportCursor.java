package io.actionlog.http.tutum;

import io.actionlog.action.ActionField;
import io.actionlog.http.ChunkedDownload;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.journal.PositionDroppedException;
import io.actionlog.store.ActionReader;
import io.actionlog.store.ActionStore;
import io.actionlog.store.LogChain;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where an export stands: the matches as of the request (their ordinals and the journal size they reflect), the
 * next one to write and, while an action's appended logs are being written, where in them. Each call writes the next
 * chunk of about {@link #CHUNK_BYTES}, short of the download's chunk so that the action crossing the mark still fits
 * (a larger one grows the chunk); every action is read as it stood at that journal size
 * ({@link ActionReader#asOf}), so writes that come in meanwhile change nothing in it.
 *
 * <p>Actions are taken a batch of up to {@link #BATCH} at a time: their rows under one read lock, their Created
 * entries read in journal order (neighbours then read forward instead of each being looked up) into reused
 * {@link ExportRow}s while their sizes add up to at most {@link #BATCH_BYTES}; an entry that does not fit is read
 * alone when its turn comes. Each is written from its stored bytes into one reused buffer. Memory: the ordinals
 * (4 bytes a match), the batch and one chunk. Called by one worker at a time (see {@code ChunkedDownload}).
 */
final class ExportCursor implements ChunkedDownload.Source {
    static final int CHUNK_BYTES = ChunkedDownload.CHUNK_BYTES - 64 * 1024;
    static final int BATCH = 256;
    static final int BATCH_BYTES = 1 << 20;
    /** The heap a cursor holds besides its matches: its output buffer and the entries of a batch. */
    static final int HEAP_BYTES = CHUNK_BYTES + CHUNK_BYTES / 4 + BATCH_BYTES;
    /** A held entry larger than this gives its array back after use, so big entries do not stay in the batch. */
    private static final int KEPT_ENTRY_BYTES = 16 * 1024;

    private final ActionStore store;
    private final ActionReader reader;
    private final ActionIndex.Matches matches;
    private final ExportFormat format;
    private final boolean withLogs;
    private final JsonBytes out = new JsonBytes(CHUNK_BYTES + CHUNK_BYTES / 4);
    private final ExportRow[] batch = new ExportRow[BATCH];
    private final boolean[] held = new boolean[BATCH];
    private Row[] rows = new Row[0];
    /** Where in the matches the batch starts. */
    private int batchFrom;
    private int inBatch;
    private ExportRow spare = new ExportRow();
    private int next;
    private boolean started;
    /** The appended logs being written, and whether a piece of the action's logs was written yet. */
    private LogChain.Reading logs;
    private ExportRow current;
    private boolean firstPiece;
    /** Characters of the appended logs written so far, and those a reading started again must pass over. */
    private long logsWritten;
    private long skip;

    ExportCursor(ActionStore store, ActionIndex.Matches matches, ExportFormat format, boolean withLogs) {
        this.store = store;
        this.reader = store.reader();
        this.matches = matches;
        this.format = format;
        this.withLogs = withLogs;
        Arrays.setAll(batch, i -> new ExportRow());
    }

    @Override
    public boolean next(ByteBuf chunk) {
        out.handedOn();
        if (!started) {
            format.header(out, withLogs);
            started = true;
        }
        while (out.length() < CHUNK_BYTES) {
            if (logs != null) {
                writeAppendedLogs();
            } else if (inBatch < rows.length) {
                writeAction(inBatch++);
            } else if (next < matches.ordinals().length) {
                readBatch();
            } else {
                break;
            }
        }
        chunk.writeBytes(out.array(), 0, out.length());
        return out.length() > 0;
    }

    /** The next batch's rows as of the snapshot, and as many of their Created entries as fit. */
    private void readBatch() {
        int to = Math.min(next + BATCH, matches.ordinals().length);
        rows = store.rows(matches.ordinals(), next, to);
        batchFrom = next;
        next = to;
        inBatch = 0;
        Integer[] order = new Integer[rows.length];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            held[i] = false;
            if (rows[i] != null) {
                try {
                    rows[i] = reader.asOf(rows[i], matches.journalSize());
                } catch (PositionDroppedException e) {
                    rows[i] = again(i);
                }
                if (rows[i] != null) {
                    order[n++] = i;
                }
            }
        }
        Arrays.sort(order, 0, n, (a, b) -> Long.compare(rows[a].created(), rows[b].created()));
        long left = BATCH_BYTES;
        for (int k = 0; k < n && left > 0; k++) {
            int i = order[k];
            try {
                if (reader.readCreated(rows[i], batch[i].created, (int) left)) {
                    held[i] = true;
                    left -= batch[i].created.size();
                }
            } catch (PositionDroppedException e) {
                rows[i] = again(i); // read when its turn comes
            }
        }
    }

    /**
     * The row of the batch's {@code i}th action read again from the index once its file was dropped: the copy that
     * retention carried it forward to, or null when it expired (an action that stays is never left out).
     */
    private Row again(int i) {
        Row now = store.rows(matches.ordinals(), batchFrom + i, batchFrom + i + 1)[0];
        return now == null || now.created() == rows[i].created() ? null : reader.asOf(now, matches.journalSize());
    }

    /**
     * An action that retention expired since the export began is left out, as from an export started a moment later:
     * gone from the index before its batch was read (a null row), or its file dropped before it was written here. One
     * that retention carried forward is written from its copy, as it stands when written, also when that happens while
     * its appended logs are written (they go on from the copy). One that expires then ends the download cut short
     * (its head is sent).
     */
    private void writeAction(int i) {
        ExportRow a = held[i] ? batch[i] : spare;
        if (rows[i] == null || !read(i, a)) {
            release(i, a);
            return;
        }
        Row row = rows[i];
        format.head(out, a, withLogs);
        if (withLogs) {
            firstPiece = true;
            writeCreatedLogs(a);
            if (row.last() != row.created()) {
                current = a;
                logs = reader.logs().appended(row);
                logsWritten = 0;
                skip = 0;
                return;
            }
        }
        format.tail(out, a, withLogs);
        release(i, a);
    }

    /** Reads the {@code i}th action into {@code a}; false when retention expired it meanwhile. */
    private boolean read(int i, ExportRow a) {
        try {
            if (!held[i]) {
                reader.readCreated(rows[i], a.created, Integer.MAX_VALUE);
            }
            a.set(rows[i], reader.stateChange(rows[i]));
            return true;
        } catch (PositionDroppedException e) {
            held[i] = false;
            rows[i] = again(i);
            return rows[i] != null && read(i, a);
        }
    }

    private void writeCreatedLogs(ExportRow a) {
        byte[] text = a.created.array(ActionField.LOGS);
        int n = a.created.length(ActionField.LOGS);
        if (text != null && n > 0) {
            format.logs(out, text, a.created.offset(ActionField.LOGS), n, true);
            firstPiece = false;
        }
    }

    private void writeAppendedLogs() {
        List<String> pieces;
        try {
            pieces = logs.next(Math.max(1, CHUNK_BYTES - out.length()));
        } catch (PositionDroppedException e) {
            // Carried forward while its logs were written: the copy holds the same appends in the same order, so
            // they go on from it past what was written. An action that expired instead leaves the download cut short.
            Row carried = again(inBatch - 1);
            if (carried == null) {
                throw e;
            }
            rows[inBatch - 1] = carried;
            logs = reader.logs().appended(carried);
            skip = logsWritten;
            return;
        }
        if (pieces.isEmpty()) {
            format.tail(out, current, true);
            release(inBatch - 1, current);
            logs = null;
            current = null;
            return;
        }
        for (String piece : pieces) {
            int passed = (int) Math.min(skip, piece.length());
            skip -= passed;
            if (passed == piece.length()) {
                continue;
            }
            byte[] utf8 = piece.substring(passed).getBytes(StandardCharsets.UTF_8);
            format.logs(out, utf8, 0, utf8.length, firstPiece);
            firstPiece = false;
            logsWritten += piece.length() - passed;
        }
    }

    /** A row that held a large entry gets a fresh one, so the batch does not keep large arrays. */
    private void release(int i, ExportRow a) {
        if (a.created.size() <= KEPT_ENTRY_BYTES) {
            return;
        }
        if (a == spare) {
            spare = new ExportRow();
        } else {
            batch[i] = new ExportRow();
        }
    }
}
