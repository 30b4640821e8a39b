package io.actionlog.http.tutum;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.actionlog.action.Action;
import io.actionlog.action.Dates;
import java.io.IOException;

/**
 * The Tutum face of an action: the keys of the Action API in its order, dates in RFC 1123. Lists leave out
 * logs, error and metadata (a list reads one journal entry per action); the detail view has them all.
 */
public final class TutumView {
    static final String BASE = "/api/v1/action/";
    // Keys are written from bytes encoded once, not escaped and encoded again on every row.
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString BODY = new SerializedString("body");
    private static final SerializedString CAN_BE_CANCELED = new SerializedString("can_be_canceled");
    private static final SerializedString CAN_BE_RETRIED = new SerializedString("can_be_retried");
    private static final SerializedString END_DATE = new SerializedString("end_date");
    private static final SerializedString ERROR = new SerializedString("error");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString IP = new SerializedString("ip");
    private static final SerializedString IS_USER_ACTION = new SerializedString("is_user_action");
    private static final SerializedString LOCATION = new SerializedString("location");
    private static final SerializedString LOGS = new SerializedString("logs");
    private static final SerializedString METADATA = new SerializedString("metadata");
    private static final SerializedString METHOD = new SerializedString("method");
    private static final SerializedString OBJECT = new SerializedString("object");
    private static final SerializedString PARENTS = new SerializedString("parents");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString RECORDED_BY = new SerializedString("recorded_by");
    private static final SerializedString RESOURCE_URI = new SerializedString("resource_uri");
    private static final SerializedString RETRY_OF = new SerializedString("retry_of");
    private static final SerializedString START_DATE = new SerializedString("start_date");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString USER = new SerializedString("user");
    private static final SerializedString USER_AGENT = new SerializedString("user_agent");
    private static final SerializedString UUID = new SerializedString("uuid");

    private TutumView() {
    }

    /** The objects of a list page as a JSON array, rendered exactly as in a list response (for the benchmark). */
    public static io.vertx.core.buffer.Buffer list(java.util.List<Action> rows) {
        return io.actionlog.http.Json.write(g -> {
            g.writeStartArray();
            for (Action a : rows) {
                write(g, a, false);
            }
            g.writeEndArray();
        });
    }

    static String resourceUri(Action a) {
        return BASE + a.uuid() + "/";
    }

    static void write(JsonGenerator g, Action a, boolean detail) throws IOException {
        g.writeStartObject();
        string(g, ACTION, a.action());
        string(g, BODY, a.body());
        bool(g, CAN_BE_CANCELED, a.state().canBeCanceled());
        bool(g, CAN_BE_RETRIED, a.state().isTerminal());
        if (a.hasEnded()) {
            string(g, END_DATE, Dates.rfc1123(a.endDate()));
        } else {
            nothing(g, END_DATE);
        }
        number(g, ID, a.id());
        string(g, IP, a.ip());
        bool(g, IS_USER_ACTION, a.userAction());
        string(g, LOCATION, a.location());
        if (detail) {
            string(g, ERROR, a.error());
            string(g, LOGS, a.logs() == null ? "" : a.logs());
            g.writeFieldName(METADATA);
            g.writeRawValue(a.metadata());
        }
        string(g, METHOD, a.method());
        string(g, OBJECT, a.object());
        g.writeFieldName(PARENTS);
        g.writeStartArray();
        for (String p : a.parents()) {
            g.writeString(p);
        }
        g.writeEndArray();
        string(g, PATH, a.path());
        string(g, RECORDED_BY, a.recordedBy());
        string(g, RESOURCE_URI, resourceUri(a));
        if (a.retryOf() != null) {
            string(g, RETRY_OF, a.retryOf().toString());
        } else {
            nothing(g, RETRY_OF);
        }
        string(g, START_DATE, Dates.rfc1123(a.startDate()));
        string(g, STATE, a.state().label);
        string(g, USER, a.user());
        string(g, USER_AGENT, a.userAgent());
        string(g, UUID, a.uuid().toString());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializedString key, String value) throws IOException {
        g.writeFieldName(key);
        g.writeString(value);
    }

    private static void bool(JsonGenerator g, SerializedString key, boolean value) throws IOException {
        g.writeFieldName(key);
        g.writeBoolean(value);
    }

    private static void number(JsonGenerator g, SerializedString key, long value) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(value);
    }

    private static void nothing(JsonGenerator g, SerializedString key) throws IOException {
        g.writeFieldName(key);
        g.writeNull();
    }
}
