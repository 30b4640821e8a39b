package io.actionlog.http.tutum;

import io.actionlog.action.ActionField;
import io.actionlog.http.HttpError;
import io.actionlog.http.JsonBytes;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Entry;
import java.util.Arrays;
import java.util.List;

/**
 * How an export writes an action: the fields in the field list's order, under their Tutum names, dates in RFC 3339
 * with microseconds (a list's RFC 1123 would lose them). An action is written in two parts around its logs, which
 * can be longer than anything worth holding and so come in pieces: {@link #head}, then {@link #logs} per piece,
 * then {@link #tail}. Values go from the stored bytes of the action's entries ({@link ExportRow}) straight into the
 * output: nothing is decoded into strings, so an export costs about what copying its bytes does. Not thread-safe:
 * one per export.
 */
abstract class ExportFormat {
    /** The fields before the logs, and after them; without logs, both in turn. */
    static final List<ActionField> BEFORE_LOGS = fields(0, ActionField.LOGS.ordinal());
    static final List<ActionField> AFTER_LOGS = fields(ActionField.LOGS.ordinal() + 1, ActionField.values().length);

    /** {@code format}: ndjson (the default) or csv. */
    static ExportFormat of(String format) {
        if (format == null || format.equals("ndjson")) {
            return new NdjsonExport();
        }
        if (format.equals("csv")) {
            return new CsvExport();
        }
        throw HttpError.badRequest("format: expected ndjson or csv");
    }

    abstract String contentType();

    abstract String extension();

    /** What comes before the first action: a CSV header row. */
    void header(JsonBytes out, boolean withLogs) {
    }

    /** The fields before the logs; with logs, the opening of their value. */
    abstract void head(JsonBytes out, ExportRow a, boolean withLogs);

    /** A piece of the logs as UTF-8 (whole characters), in order; {@code first} for the first piece of an action's. */
    abstract void logs(JsonBytes out, byte[] utf8, int from, int n, boolean first);

    /** With logs, the closing of their value; the fields after the logs, and the end of the line. */
    abstract void tail(JsonBytes out, ExportRow a, boolean withLogs);

    /** What goes before the value of {@code fields[i]}: its key, or a separator. */
    abstract void before(JsonBytes out, ActionField f, int i);

    /** A text value from {@code utf8[from, from + n)}; null {@code utf8}: null. See {@link CreatedBytes#plain}. */
    abstract void text(JsonBytes out, byte[] utf8, int from, int n, boolean plain);

    abstract void nothing(JsonBytes out);

    abstract void number(JsonBytes out, long n);

    abstract void bool(JsonBytes out, boolean b);

    /** A UUID in its 8-4-4-4-12 lower-case form. */
    abstract void uuid(JsonBytes out, long high, long low);

    abstract void date(JsonBytes out, long micros);

    /** A state's label: printable ASCII. */
    abstract void label(JsonBytes out, String label);

    /** A JSON value kept as its text (metadata). */
    abstract void json(JsonBytes out, byte[] utf8, int from, int n);

    /** The parents list; {@code c.parentCount()} is -1 for none. */
    abstract void parents(JsonBytes out, CreatedBytes c);

    /** The values of {@code fields}, each after what {@link #before} writes. */
    final void fields(JsonBytes out, List<ActionField> fields, ExportRow a) {
        for (int i = 0; i < fields.size(); i++) {
            ActionField f = fields.get(i);
            before(out, f, i);
            value(out, f, a);
        }
    }

    private void value(JsonBytes out, ActionField f, ExportRow a) {
        CreatedBytes c = a.created;
        switch (f) {
            case ID -> number(out, c.id());
            case UUID -> {
                if (c.hasUuid()) {
                    uuid(out, c.uuidHigh(), c.uuidLow());
                } else {
                    nothing(out);
                }
            }
            case USER, ACTION, METHOD, PATH, OBJECT, IP, LOCATION, USER_AGENT, BODY, ERROR, RECORDED_BY ->
                    text(out, a.array(f), a.offset(f), a.length(f), a.plain(f));
            case PARENTS -> parents(out, c);
            case STATE -> label(out, a.state().label);
            case START_DATE -> date(out, c.startDate());
            case END_DATE -> date(out, a.endDate());
            case LOGS -> throw new IllegalArgumentException("logs are written in pieces");
            case METADATA -> json(out, a.array(f), a.offset(f), a.length(f));
            case USER_ACTION -> bool(out, c.userAction());
            case RETRY_OF -> {
                if (c.hasRetryOf()) {
                    uuid(out, c.retryOfHigh(), c.retryOfLow());
                } else {
                    nothing(out);
                }
            }
        }
    }

    /** Whether a date is set: an action that has not ended has no end date. */
    static boolean isSet(long micros) {
        return micros != Entry.NO_TIME;
    }

    private static List<ActionField> fields(int from, int to) {
        return List.copyOf(Arrays.asList(ActionField.values()).subList(from, to));
    }
}
