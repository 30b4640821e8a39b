package io.actionlog.http.tutum;

import io.actionlog.action.ActionField;
import io.actionlog.http.JsonBytes;
import io.actionlog.journal.CreatedBytes;
import java.nio.charset.StandardCharsets;

/**
 * An export as CSV (RFC 4180): a header row of the field names, then one row per action, CRLF line ends, UTF-8.
 * Texts are quoted; lists and metadata are their JSON text. A text that a spreadsheet would run as a formula
 * (starting with {@code = + - @}, a tab or a carriage return) gets a leading {@code '}, as OWASP advises against
 * CSV injection: the cell then shows as text, and the export is no longer byte-exact for such values. Not
 * thread-safe: one per export.
 */
final class CsvExport extends ExportFormat {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NO_BYTES = {};
    /** Pieces written as JSON before they go into a cell (a number, a date, a uuid, the parents list). */
    private final JsonBytes cell = new JsonBytes(256);

    @Override
    String contentType() {
        return "text/csv; charset=utf-8";
    }

    @Override
    String extension() {
        return "csv";
    }

    @Override
    void header(JsonBytes out, boolean withLogs) {
        StringBuilder row = new StringBuilder();
        for (ActionField f : ActionField.values()) {
            if (f != ActionField.LOGS || withLogs) {
                row.append(row.length() == 0 ? "" : ",").append(f.apiName());
            }
        }
        byte[] bytes = row.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
        out.raw(bytes, 0, bytes.length);
    }

    @Override
    void head(JsonBytes out, ExportRow a, boolean withLogs) {
        fields(out, BEFORE_LOGS, a);
        if (withLogs) {
            out.raw((byte) ',').raw((byte) '"');
        }
    }

    @Override
    void logs(JsonBytes out, byte[] utf8, int from, int n, boolean first) {
        if (first && runsAsFormula(utf8, from, n)) {
            out.raw((byte) '\'');
        }
        escapeQuotes(out, utf8, from, n);
    }

    @Override
    void tail(JsonBytes out, ExportRow a, boolean withLogs) {
        if (withLogs) {
            out.raw((byte) '"');
        }
        out.raw((byte) ',');
        fields(out, AFTER_LOGS, a);
        out.raw(CRLF, 0, CRLF.length);
    }

    @Override
    void before(JsonBytes out, ActionField f, int i) {
        if (i > 0) {
            out.raw((byte) ',');
        }
    }

    /** A quoted cell, neutralised when it would run as a formula; null is an empty cell. */
    @Override
    void text(JsonBytes out, byte[] utf8, int from, int n, boolean plain) {
        if (utf8 == null) {
            return;
        }
        out.raw((byte) '"');
        if (runsAsFormula(utf8, from, n)) {
            out.raw((byte) '\'');
        }
        escapeQuotes(out, utf8, from, n);
        out.raw((byte) '"');
    }

    @Override
    void nothing(JsonBytes out) {
    }

    @Override
    void number(JsonBytes out, long n) {
        cell.reset();
        copyCell(out, cell.number(n));
    }

    @Override
    void bool(JsonBytes out, boolean b) {
        cell.reset();
        copyCell(out, cell.bool(b));
    }

    /** The JSON string of a uuid, a date or a label is its quoted cell: printable ASCII without quotes or formulas. */
    @Override
    void uuid(JsonBytes out, long high, long low) {
        cell.reset();
        copyCell(out, cell.uuid(NO_BYTES, high, low, NO_BYTES));
    }

    @Override
    void date(JsonBytes out, long micros) {
        if (isSet(micros)) {
            cell.reset();
            copyCell(out, cell.rfc3339(micros));
        }
    }

    @Override
    void label(JsonBytes out, String label) {
        cell.reset();
        copyCell(out, cell.ascii(label, null, null));
    }

    @Override
    void json(JsonBytes out, byte[] utf8, int from, int n) {
        text(out, utf8, from, n, false);
    }

    @Override
    void parents(JsonBytes out, CreatedBytes c) {
        if (c.parentCount() < 0) {
            return;
        }
        cell.reset();
        NdjsonExport.writeParents(cell, c);
        text(out, cell.array(), 0, cell.length(), false);
    }

    private static void copyCell(JsonBytes out, JsonBytes cell) {
        out.raw(cell.array(), 0, cell.length());
    }

    static boolean runsAsFormula(byte[] utf8, int from, int n) {
        if (n == 0) {
            return false;
        }
        byte c = utf8[from];
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    /** The bytes with each quote doubled: runs without one are copied whole. */
    private static void escapeQuotes(JsonBytes out, byte[] utf8, int from, int n) {
        int end = from + n;
        int run = from;
        for (int i = from; i < end; i++) {
            if (utf8[i] == '"') {
                out.raw(utf8, run, i + 1 - run);
                run = i;
            }
        }
        out.raw(utf8, run, end - run);
    }
}
