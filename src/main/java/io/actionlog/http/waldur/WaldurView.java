package io.actionlog.http.waldur;

import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.action.Action;
import io.actionlog.action.Dates;
import io.actionlog.action.State;
import java.io.IOException;

/**
 * The Waldur face of an action, a user action execution: its keys in the contract's order. {@code success} is
 * left out, not null, while the action has not finished; metadata is a JSON object given as its compact text.
 */
final class WaldurView {
    private WaldurView() {
    }

    static void write(JsonGenerator g, Action a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", a.id());
        g.writeStringField("corrective_action_label", a.action());
        g.writeStringField("executed_at", Dates.rfc3339(a.startDate()));
        if (a.state().isTerminal()) {
            g.writeBooleanField("success", a.state() == State.SUCCESS);
        }
        g.writeStringField("error_message", a.error());
        g.writeStringField("execution_metadata", a.metadata());
        g.writeEndObject();
    }
}
