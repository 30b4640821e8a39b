package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionField;
import io.actionlog.http.JsonBytes;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * An export as CSV (RFC 4180): a header row of the field names, then one row per action, CRLF line ends, UTF-8.
 * Texts are quoted; lists and metadata are their JSON text. A text that a spreadsheet would run as a formula
 * (starting with {@code = + - @}, a tab or a carriage return) gets a leading {@code '}, as OWASP advises against
 * CSV injection: the cell then shows as text, and the export is no longer byte-exact for such values.
 */
final class CsvExport extends ExportFormat {
    @Override
    String contentType() {
        return "text/csv; charset=utf-8";
    }

    @Override
    String extension() {
        return "csv";
    }

    @Override
    void header(Buffer out, boolean withLogs) {
        StringBuilder row = new StringBuilder();
        for (ActionField f : ActionField.values()) {
            if (f != ActionField.LOGS || withLogs) {
                row.append(row.length() == 0 ? "" : ",").append(f.apiName());
            }
        }
        out.appendString(row.append("\r\n").toString());
    }

    @Override
    void head(Buffer out, Action a, boolean withLogs) {
        StringBuilder row = new StringBuilder(512);
        cells(row, BEFORE_LOGS, a);
        if (withLogs) {
            row.append(",\"");
        }
        out.appendString(row.toString());
    }

    @Override
    void logs(Buffer out, String piece, boolean first) {
        StringBuilder cell = new StringBuilder(piece.length() + 16);
        if (first && runsAsFormula(piece)) {
            cell.append('\'');
        }
        out.appendString(escapeQuotes(cell, piece).toString());
    }

    @Override
    void tail(Buffer out, Action a, boolean withLogs) {
        StringBuilder row = new StringBuilder(512);
        if (withLogs) {
            row.append('"');
        }
        row.append(',');
        cells(row, AFTER_LOGS, a);
        out.appendString(row.append("\r\n").toString());
    }

    private static void cells(StringBuilder row, List<ActionField> fields, Action a) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                row.append(',');
            }
            Object v = value(fields.get(i), a);
            if (v instanceof String s) {
                text(row, s);
            } else if (v instanceof RawJson j) {
                text(row, j.json());
            } else if (v instanceof List<?> items) {
                JsonBytes json = new JsonBytes(64).startArray();
                items.forEach(item -> json.string((String) item));
                text(row, new String(json.endArray().toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
            } else if (v != null) {
                row.append(v);
            }
        }
    }

    /** A quoted cell, neutralised when it would run as a formula. */
    static void text(StringBuilder row, String s) {
        row.append('"');
        if (runsAsFormula(s)) {
            row.append('\'');
        }
        escapeQuotes(row, s).append('"');
    }

    static boolean runsAsFormula(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }

    private static StringBuilder escapeQuotes(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        return out;
    }
}
