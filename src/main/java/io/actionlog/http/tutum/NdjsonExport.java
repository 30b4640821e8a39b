package io.actionlog.http.tutum;

import io.actionlog.action.ActionField;
import io.actionlog.http.JsonBytes;
import io.actionlog.journal.CreatedBytes;
import java.nio.charset.StandardCharsets;

/**
 * An export as NDJSON: one JSON object a line, which {@code POST /api/v1/action/bulk/} takes back unchanged. Not
 * thread-safe: one per export.
 */
final class NdjsonExport extends ExportFormat {
    private static final byte[][] KEYS = keys();
    private static final byte[] LOGS_OPEN = ",\"logs\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BYTES = {};

    @Override
    String contentType() {
        return "application/x-ndjson";
    }

    @Override
    String extension() {
        return "ndjson";
    }

    @Override
    void head(JsonBytes out, ExportRow a, boolean withLogs) {
        out.startObject();
        fields(out, BEFORE_LOGS, a);
        if (withLogs) {
            out.raw(LOGS_OPEN, 0, LOGS_OPEN.length);
        }
    }

    @Override
    void logs(JsonBytes out, byte[] utf8, int from, int n, boolean first) {
        out.escaped(utf8, from, n);
    }

    @Override
    void tail(JsonBytes out, ExportRow a, boolean withLogs) {
        if (withLogs) {
            out.raw((byte) '"');
        }
        // The head wrote values into the object already, so the first key here gets its comma.
        fields(out, AFTER_LOGS, a);
        out.endObject().endLine();
    }

    @Override
    void before(JsonBytes out, ActionField f, int i) {
        out.field(KEYS[f.ordinal()]);
    }

    @Override
    void text(JsonBytes out, byte[] utf8, int from, int n, boolean plain) {
        out.slice(utf8, from, n, plain);
    }

    @Override
    void nothing(JsonBytes out) {
        out.nothing();
    }

    @Override
    void number(JsonBytes out, long n) {
        out.number(n);
    }

    @Override
    void bool(JsonBytes out, boolean b) {
        out.bool(b);
    }

    @Override
    void uuid(JsonBytes out, long high, long low) {
        out.uuid(NO_BYTES, high, low, NO_BYTES);
    }

    @Override
    void date(JsonBytes out, long micros) {
        if (isSet(micros)) {
            out.rfc3339(micros);
        } else {
            out.nothing();
        }
    }

    @Override
    void label(JsonBytes out, String label) {
        out.ascii(label, null, null);
    }

    @Override
    void json(JsonBytes out, byte[] utf8, int from, int n) {
        if (utf8 == null) {
            out.nothing();
        } else {
            out.rawValue(utf8, from, n);
        }
    }

    @Override
    void parents(JsonBytes out, CreatedBytes c) {
        writeParents(out, c);
    }

    /** The parents as a JSON array, or null. */
    static void writeParents(JsonBytes out, CreatedBytes c) {
        if (c.parentCount() < 0) {
            out.nothing();
            return;
        }
        out.startArray();
        for (int i = 0; i < c.parentCount(); i++) {
            out.slice(c.parentArray(i), c.parentOffset(i), c.parentLength(i), c.parentPlain(i));
        }
        out.endArray();
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
