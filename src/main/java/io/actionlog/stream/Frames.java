package io.actionlog.stream;

import io.actionlog.action.Dates;
import io.actionlog.http.Json;
import io.actionlog.journal.Entry;

/** The JSON frames of the streams (spec §5), rendered compact, one per WebSocket message or SSE event. */
final class Frames {
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    /** Unknown uuid, a foreign action, or a malformed uuid: one answer for all, so existence is never revealed. */
    static final String NOT_FOUND = "NOT_FOUND";
    /** A query parameter of the stream has a value it cannot use (tail, follow, last_event_id). */
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String SLOW_CONSUMER = "SLOW_CONSUMER";
    static final String SERVER_STOPPING = "SERVER_STOPPING";
    /** The server failed to read its own journal; details go to the log only. */
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    /** Rough cost of the frame(s) an entry becomes, beyond its text: JSON keys, uuid, timestamps. */
    private static final int FRAME_OVERHEAD = 160;

    private Frames() {
    }

    static String log(String line, long atMicros) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "log");
            g.writeStringField("log", line);
            g.writeNumberField("timestamp", Math.floorDiv(atMicros, 1_000_000L));
            g.writeEndObject();
        }).toString();
    }

    static String action(ActionEvent e) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "action");
            g.writeStringField("action", e.created() ? "create" : "update");
            g.writeStringField("uuid", e.head().uuid().toString());
            g.writeStringField("resource_uri", "/api/v1/action/" + e.head().uuid() + "/");
            g.writeStringField("state", e.state().label);
            g.writeArrayFieldStart("parents");
            for (String p : e.head().parents()) {
                g.writeString(p);
            }
            g.writeEndArray();
            g.writeStringField("datetime", Dates.iso(e.at()));
            g.writeEndObject();
        }).toString();
    }

    /**
     * The first event of a resume from a position retention dropped: the history that follows starts at
     * {@code resumedAt}, the oldest position kept; events between the two are gone with their actions.
     */
    static String dropped(long requested, long resumedAt) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "dropped");
            g.writeNumberField("requested_from", requested);
            g.writeNumberField("resumed_from", resumedAt);
            g.writeStringField("detail", "positions before " + resumedAt + " were dropped by retention");
            g.writeEndObject();
        }).toString();
    }

    /** {@code detail}, when not null, names what was wrong for a person reading the frame (a parameter, say). */
    static String error(String errorMessage, String detail) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeObjectFieldStart("data");
            g.writeStringField("errorMessage", errorMessage);
            if (detail != null) {
                g.writeStringField("detail", detail);
            }
            g.writeEndObject();
            g.writeEndObject();
        }).toString();
    }

    /**
     * What an entry weighs in a socket's buffer, in bytes, estimated on the writer thread without rendering:
     * the text it carries (two bytes a char at most, as Java holds it) plus a fixed overhead.
     */
    static long weight(Entry e) {
        if (e instanceof Entry.LogAppended l) {
            return FRAME_OVERHEAD + 2L * l.text().length();
        }
        if (e instanceof Entry.Created c) {
            long parents = 0;
            for (String p : c.data().parents()) {
                parents += p.length();
            }
            return FRAME_OVERHEAD + 2L * (parents + c.data().object().length() + c.logs().length());
        }
        return FRAME_OVERHEAD;
    }
}
