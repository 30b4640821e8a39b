package io.actionlog.http.waldur;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.actionlog.action.Action;
import io.actionlog.action.Dates;
import io.actionlog.action.State;
import java.io.IOException;

/**
 * The Waldur face of an action, a user action execution: its keys in the contract's order. {@code success} is
 * left out, not null, while the action has not finished; metadata is a JSON object given as its compact text.
 */
final class WaldurView {
    // Keys are written from bytes encoded once, not escaped and encoded again on every row.
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString LABEL = new SerializedString("corrective_action_label");
    private static final SerializedString EXECUTED_AT = new SerializedString("executed_at");
    private static final SerializedString SUCCESS = new SerializedString("success");
    private static final SerializedString ERROR_MESSAGE = new SerializedString("error_message");
    private static final SerializedString METADATA = new SerializedString("execution_metadata");

    private WaldurView() {
    }

    static void write(JsonGenerator g, Action a) throws IOException {
        g.writeStartObject();
        g.writeFieldName(ID);
        g.writeNumber(a.id());
        g.writeFieldName(LABEL);
        g.writeString(a.action());
        g.writeFieldName(EXECUTED_AT);
        g.writeString(Dates.rfc3339(a.startDate()));
        if (a.state().isTerminal()) {
            g.writeFieldName(SUCCESS);
            g.writeBoolean(a.state() == State.SUCCESS);
        }
        g.writeFieldName(ERROR_MESSAGE);
        g.writeString(a.error());
        g.writeFieldName(METADATA);
        g.writeString(a.metadata());
        g.writeEndObject();
    }
}
