package io.actionlog.http.waldur;

import io.actionlog.action.Action;
import io.actionlog.action.ActionField;
import io.actionlog.action.Dates;
import io.actionlog.action.State;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.store.ActionReader;

/**
 * The Waldur face of an action, a user action execution: its keys in the contract's order. {@code success} is
 * left out, not null, while the action has not finished; metadata is a JSON object given as its compact text.
 * Written by hand into bytes, as the Tutum face's rows are.
 */
final class WaldurView {
    // Keys are written from bytes encoded once, not escaped and encoded again on every row.
    private static final byte[] ID = JsonBytes.key("id");
    private static final byte[] LABEL = JsonBytes.key("corrective_action_label");
    private static final byte[] EXECUTED_AT = JsonBytes.key("executed_at");
    private static final byte[] SUCCESS = JsonBytes.key("success");
    private static final byte[] ERROR_MESSAGE = JsonBytes.key("error_message");
    private static final byte[] METADATA = JsonBytes.key("execution_metadata");

    private WaldurView() {
    }

    /**
     * One execution of a list page, written from the stored bytes of its Created entry (and its newest state change,
     * if any) without decoding them into an action: the same bytes as {@link #one} writes.
     */
    static void write(JsonBytes g, ActionReader.Current current, Row row) {
        CreatedBytes c = current.created();
        State state = State.ofCode(row.state());
        g.startObject();
        g.field(ID).number(c.id());
        slice(g, LABEL, c, ActionField.ACTION);
        g.field(EXECUTED_AT).ascii(Dates.rfc3339(c.startDate()), null, null);
        if (state.isTerminal()) {
            g.field(SUCCESS).bool(state == State.SUCCESS);
        }
        if (current.change() != null) {
            g.field(ERROR_MESSAGE).string(current.change().error());
            g.field(METADATA).string(current.change().metadata());
        } else {
            slice(g, ERROR_MESSAGE, c, ActionField.ERROR);
            slice(g, METADATA, c, ActionField.METADATA);
        }
        g.endObject();
    }

    private static void slice(JsonBytes g, byte[] key, CreatedBytes c, ActionField field) {
        g.field(key).slice(c.array(field), c.offset(field), c.length(field), c.plain(field));
    }

    static JsonBytes one(Action a) {
        JsonBytes out = new JsonBytes(192);
        write(out, a);
        return out;
    }

    private static void write(JsonBytes g, Action a) {
        g.startObject();
        g.field(ID).number(a.id());
        g.field(LABEL).string(a.data().action());
        g.field(EXECUTED_AT).ascii(Dates.rfc3339(a.data().startDate()), null, null);
        if (a.state().isTerminal()) {
            g.field(SUCCESS).bool(a.state() == State.SUCCESS);
        }
        g.field(ERROR_MESSAGE).string(a.error());
        g.field(METADATA).string(a.metadata());
        g.endObject();
    }
}
