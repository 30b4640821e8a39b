package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.Dates;
import io.actionlog.http.HttpError;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;

/**
 * How an export writes an action: the fields in the field list's order, under their Tutum names, dates in RFC 3339
 * with microseconds (a list's RFC 1123 would lose them). An action is written in two parts around its logs, which
 * can be longer than anything worth holding and so come in pieces: {@link #head}, then {@link #logs} per piece,
 * then {@link #tail}.
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
    void header(Buffer out, boolean withLogs) {
    }

    /** The fields before the logs; with logs, the opening of their value. */
    abstract void head(Buffer out, Action a, boolean withLogs);

    /** A piece of the logs, in order; {@code first} for the first piece of an action's. */
    abstract void logs(Buffer out, String piece, boolean first);

    /** With logs, the closing of their value; the fields after the logs, and the end of the line. */
    abstract void tail(Buffer out, Action a, boolean withLogs);

    /** A value as the export shows it: a String, Long, Boolean, List of Strings, {@link RawJson}, or null. */
    static Object value(ActionField field, Action a) {
        ActionData d = a.data();
        return switch (field) {
            case ID -> a.id();
            case UUID -> d.uuid() == null ? null : d.uuid().toString();
            case USER -> d.user();
            case ACTION -> d.action();
            case METHOD -> d.method();
            case PATH -> d.path();
            case OBJECT -> d.object();
            case PARENTS -> d.parents();
            case IP -> d.ip();
            case LOCATION -> d.location();
            case USER_AGENT -> d.userAgent();
            case BODY -> d.body();
            case STATE -> a.state().label;
            case START_DATE -> Dates.rfc3339(d.startDate());
            case END_DATE -> a.hasEnded() ? Dates.rfc3339(a.endDate()) : null;
            case LOGS -> throw new IllegalArgumentException("logs are written in pieces");
            case ERROR -> a.error();
            case METADATA -> new RawJson(a.metadata());
            case USER_ACTION -> d.userAction();
            case RETRY_OF -> d.retryOf() == null ? null : d.retryOf().toString();
            case RECORDED_BY -> d.recordedBy();
        };
    }

    /** A JSON value kept as its text (metadata). */
    record RawJson(String json) {
    }

    private static List<ActionField> fields(int from, int to) {
        return List.copyOf(Arrays.asList(ActionField.values()).subList(from, to));
    }
}
