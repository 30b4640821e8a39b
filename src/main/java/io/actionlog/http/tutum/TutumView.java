package io.actionlog.http.tutum;

import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.action.Action;
import io.actionlog.action.Dates;
import java.io.IOException;

/**
 * The Tutum face of an action: the keys of the Action API in its order, dates in RFC 1123. Lists leave out
 * logs, error and metadata (a list reads one journal entry per action); the detail view has them all.
 */
final class TutumView {
    static final String BASE = "/api/v1/action/";

    private TutumView() {
    }

    static String resourceUri(Action a) {
        return BASE + a.uuid() + "/";
    }

    static void write(JsonGenerator g, Action a, boolean detail) throws IOException {
        g.writeStartObject();
        g.writeStringField("action", a.action());
        g.writeStringField("body", a.body());
        g.writeBooleanField("can_be_canceled", a.state().canBeCanceled());
        g.writeBooleanField("can_be_retried", a.state().isTerminal());
        if (a.hasEnded()) {
            g.writeStringField("end_date", Dates.rfc1123(a.endDate()));
        } else {
            g.writeNullField("end_date");
        }
        g.writeNumberField("id", a.id());
        g.writeStringField("ip", a.ip());
        g.writeBooleanField("is_user_action", a.userAction());
        g.writeStringField("location", a.location());
        if (detail) {
            g.writeStringField("error", a.error());
            g.writeStringField("logs", a.logs() == null ? "" : a.logs());
            g.writeFieldName("metadata");
            g.writeRawValue(a.metadata());
        }
        g.writeStringField("method", a.method());
        g.writeStringField("object", a.object());
        g.writeArrayFieldStart("parents");
        for (String p : a.parents()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeStringField("path", a.path());
        g.writeStringField("recorded_by", a.recordedBy());
        g.writeStringField("resource_uri", resourceUri(a));
        if (a.retryOf() != null) {
            g.writeStringField("retry_of", a.retryOf().toString());
        } else {
            g.writeNullField("retry_of");
        }
        g.writeStringField("start_date", Dates.rfc1123(a.startDate()));
        g.writeStringField("state", a.state().label);
        g.writeStringField("user", a.user());
        g.writeStringField("user_agent", a.userAgent());
        g.writeStringField("uuid", a.uuid().toString());
        g.writeEndObject();
    }
}
