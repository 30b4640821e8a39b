package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.Dates;
import io.actionlog.action.State;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.store.LogChain;
import io.actionlog.store.PageEntries;
import java.util.List;

/**
 * The Tutum face of an action: the keys of the Action API in its order, dates in RFC 1123. Lists leave out
 * logs, error and metadata (a list reads one journal entry per action); the detail view has them all.
 */
final class TutumView {
    static final String BASE = "/api/v1/action/";
    private static final byte[] BASE_BYTES = BASE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SLASH = {'/'};
    private static final byte[] NO_BYTES = {};
    // Keys are written from bytes encoded once, not escaped and encoded again on every row. Each field's key is its
    // name in the field list; the others are this face's own.
    private static final byte[] ACTION = key(ActionField.ACTION);
    private static final byte[] BODY = key(ActionField.BODY);
    private static final byte[] CAN_BE_CANCELED = JsonBytes.key("can_be_canceled");
    private static final byte[] CAN_BE_RETRIED = JsonBytes.key("can_be_retried");
    private static final byte[] END_DATE = key(ActionField.END_DATE);
    private static final byte[] ERROR = key(ActionField.ERROR);
    private static final byte[] ID = key(ActionField.ID);
    private static final byte[] IP = key(ActionField.IP);
    private static final byte[] IS_USER_ACTION = key(ActionField.USER_ACTION);
    private static final byte[] LOCATION = key(ActionField.LOCATION);
    private static final byte[] LOGS = key(ActionField.LOGS);
    private static final byte[] LOGS_TRUNCATED = JsonBytes.key("logs_truncated");
    private static final byte[] METADATA = key(ActionField.METADATA);
    private static final byte[] METHOD = key(ActionField.METHOD);
    private static final byte[] OBJECT = key(ActionField.OBJECT);
    private static final byte[] PARENTS = key(ActionField.PARENTS);
    private static final byte[] PATH = key(ActionField.PATH);
    private static final byte[] RECORDED_BY = key(ActionField.RECORDED_BY);
    private static final byte[] RESOURCE_URI = JsonBytes.key("resource_uri");
    private static final byte[] RETRY_OF = key(ActionField.RETRY_OF);
    private static final byte[] START_DATE = key(ActionField.START_DATE);
    private static final byte[] STATE = key(ActionField.STATE);
    private static final byte[] USER = key(ActionField.USER);
    private static final byte[] USER_AGENT = key(ActionField.USER_AGENT);
    private static final byte[] UUID = key(ActionField.UUID);

    private TutumView() {
    }

    /** Room for a page of {@code rows} rows in its envelope, so that writing one seldom grows the array. */
    static int pageCapacity(int rows) {
        return rows * 640 + 512;
    }

    /**
     * The objects of a list page as a JSON array, from the rows' stored Created entries, while they stay within
     * {@code maxBytes}: the first row always goes in (field limits bound one action), a row that would go past the
     * bound is taken out again and ends the page. Returns the number of rows written.
     */
    static int rows(JsonBytes out, PageEntries created, List<Row> rows, int maxBytes) {
        out.startArray();
        int shown = 0;
        for (int i = 0; i < rows.size(); i++) {
            int mark = out.length();
            write(out, created.get(i), rows.get(i));
            if (shown > 0 && out.length() > maxBytes) {
                out.rewind(mark);
                break;
            }
            shown++;
        }
        out.endArray();
        return shown;
    }

    /**
     * A list row straight from the stored bytes of its Created entry, state and end date from the index's row:
     * the same bytes as {@link #write(JsonBytes, Action, boolean)} writes for a list, without decoding a string.
     */
    static void write(JsonBytes g, CreatedBytes c, Row row) {
        State state = State.ofCode(row.state());
        g.startObject();
        text(g, ACTION, c, ActionField.ACTION);
        text(g, BODY, c, ActionField.BODY);
        g.field(CAN_BE_CANCELED).bool(state.canBeCanceled());
        g.field(CAN_BE_RETRIED).bool(state.isTerminal());
        g.field(END_DATE);
        if (row.endDate() != Long.MIN_VALUE) {
            g.rfc1123(row.endDate());
        } else {
            g.nothing();
        }
        g.field(ID).number(c.id());
        text(g, IP, c, ActionField.IP);
        g.field(IS_USER_ACTION).bool(c.userAction());
        text(g, LOCATION, c, ActionField.LOCATION);
        text(g, METHOD, c, ActionField.METHOD);
        text(g, OBJECT, c, ActionField.OBJECT);
        g.field(PARENTS).startArray();
        for (int i = 0; i < c.parentCount(); i++) {
            g.slice(c.parentArray(i), c.parentOffset(i), c.parentLength(i), c.parentPlain(i));
        }
        g.endArray();
        text(g, PATH, c, ActionField.PATH);
        text(g, RECORDED_BY, c, ActionField.RECORDED_BY);
        g.field(RESOURCE_URI);
        if (c.hasUuid()) {
            g.uuid(BASE_BYTES, c.uuidHigh(), c.uuidLow(), SLASH);
        } else {
            g.ascii(BASE, "null", "/");
        }
        g.field(RETRY_OF);
        if (c.hasRetryOf()) {
            g.uuid(NO_BYTES, c.retryOfHigh(), c.retryOfLow(), NO_BYTES);
        } else {
            g.nothing();
        }
        g.field(START_DATE).rfc1123(c.startDate());
        g.field(STATE).ascii(state.label, null, null);
        text(g, USER, c, ActionField.USER);
        text(g, USER_AGENT, c, ActionField.USER_AGENT);
        g.field(UUID);
        if (c.hasUuid()) {
            g.uuid(NO_BYTES, c.uuidHigh(), c.uuidLow(), NO_BYTES);
        } else {
            g.nothing();
        }
        g.endObject();
    }

    private static byte[] key(ActionField field) {
        return JsonBytes.key(field.apiName());
    }

    private static void text(JsonBytes g, byte[] key, CreatedBytes c, ActionField field) {
        g.field(key).slice(c.array(field), c.offset(field), c.length(field), c.plain(field));
    }

    static String resourceUri(Action a) {
        return BASE + a.data().uuid() + "/";
    }

    /** One action as a list shows it, as a whole response body. */
    static JsonBytes json(Action a) {
        JsonBytes out = new JsonBytes(640);
        write(out, a, false);
        return out;
    }

    /**
     * One action as its detail shows it, with the logs read for it: when those are only the end of the logs, they
     * start with a line that says so and where all of them are, and {@code logs_truncated} is true.
     */
    static JsonBytes detail(Action a, LogChain.Tail logs) {
        JsonBytes out = new JsonBytes(1024 + logs.bytes());
        write(out, a, true, logs);
        return out;
    }

    /** The first line of logs that a detail shows only the end of. */
    static String logsCutMarker(Action a, int shownBytes) {
        return "[earlier logs left out: the last " + shownBytes + " bytes follow; all logs: GET " + resourceUri(a)
                + "logs/]\n";
    }

    static void write(JsonBytes g, Action a, boolean detail) {
        String logs = a.logs() == null ? "" : a.logs();
        write(g, a, detail, new LogChain.Tail(logs, 0, false));
    }

    private static void write(JsonBytes g, Action a, boolean detail, LogChain.Tail logs) {
        ActionData d = a.data();
        g.startObject();
        g.field(ACTION).string(d.action());
        g.field(BODY).string(d.body());
        g.field(CAN_BE_CANCELED).bool(a.state().canBeCanceled());
        g.field(CAN_BE_RETRIED).bool(a.state().isTerminal());
        g.field(END_DATE);
        if (a.hasEnded()) {
            g.string(Dates.rfc1123(a.endDate()));
        } else {
            g.nothing();
        }
        g.field(ID).number(a.id());
        g.field(IP).string(d.ip());
        g.field(IS_USER_ACTION).bool(d.userAction());
        g.field(LOCATION).string(d.location());
        if (detail) {
            g.field(ERROR).string(a.error());
            g.field(LOGS).string(logs.cut() ? logsCutMarker(a, logs.bytes()) + logs.text() : logs.text());
            g.field(LOGS_TRUNCATED).bool(logs.cut());
            g.field(METADATA).rawValue(a.metadata());
        }
        g.field(METHOD).string(d.method());
        g.field(OBJECT).string(d.object());
        g.field(PARENTS).startArray();
        for (String p : d.parents()) {
            g.string(p);
        }
        g.endArray();
        g.field(PATH).string(d.path());
        g.field(RECORDED_BY).string(d.recordedBy());
        g.field(RESOURCE_URI).string(resourceUri(a));
        g.field(RETRY_OF);
        if (d.retryOf() != null) {
            g.string(d.retryOf().toString());
        } else {
            g.nothing();
        }
        g.field(START_DATE).string(Dates.rfc1123(d.startDate()));
        g.field(STATE).string(a.state().label);
        g.field(USER).string(d.user());
        g.field(USER_AGENT).string(d.userAgent());
        g.field(UUID).string(d.uuid().toString());
        g.endObject();
    }
}
