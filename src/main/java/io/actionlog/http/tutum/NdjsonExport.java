package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionField;
import io.actionlog.http.JsonBytes;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * An export as NDJSON: one JSON object a line, which {@code POST /api/v1/action/bulk/} takes back unchanged. Not
 * thread-safe: one per export.
 */
final class NdjsonExport extends ExportFormat {
    private static final byte[][] KEYS = keys();
    private static final byte[] LOGS_OPEN = ",\"logs\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final JsonBytes scratch = new JsonBytes(4096);

    @Override
    String contentType() {
        return "application/x-ndjson";
    }

    @Override
    String extension() {
        return "ndjson";
    }

    @Override
    void head(Buffer out, Action a, boolean withLogs) {
        JsonBytes g = new JsonBytes(1024);
        g.startObject();
        fields(g, BEFORE_LOGS, a);
        g.appendTo(out);
        if (withLogs) {
            out.appendBytes(LOGS_OPEN);
        }
    }

    @Override
    void logs(Buffer out, String piece, boolean first) {
        // The piece as a JSON string without its quotes: pieces are whole appends, so escaping each one alone
        // escapes their concatenation.
        byte[] quoted = new JsonBytes(piece.length() + 16).string(piece).toByteArray();
        out.appendBytes(quoted, 1, quoted.length - 2);
    }

    @Override
    void tail(Buffer out, Action a, boolean withLogs) {
        if (withLogs) {
            out.appendByte((byte) '"');
        }
        JsonBytes g = new JsonBytes(1024);
        // The head opened the object and wrote values into it already, so the first key here needs its comma.
        g.rewind(0);
        fields(g, AFTER_LOGS, a);
        g.endObject();
        g.appendTo(out);
        out.appendByte((byte) '\n');
    }

    private static void fields(JsonBytes g, List<ActionField> fields, Action a) {
        for (ActionField f : fields) {
            g.field(KEYS[f.ordinal()]);
            Object v = value(f, a);
            if (v == null) {
                g.nothing();
            } else if (v instanceof String s) {
                g.string(s);
            } else if (v instanceof Long n) {
                g.number(n);
            } else if (v instanceof Boolean b) {
                g.bool(b);
            } else if (v instanceof RawJson j) {
                g.rawValue(j.json());
            } else {
                g.startArray();
                for (Object item : (List<?>) v) {
                    g.string((String) item);
                }
                g.endArray();
            }
        }
    }

    private static byte[][] keys() {
        ActionField[] all = ActionField.values();
        byte[][] keys = new byte[all.length][];
        for (ActionField f : all) {
            keys[f.ordinal()] = JsonBytes.key(f.apiName());
        }
        return keys;
    }
}
