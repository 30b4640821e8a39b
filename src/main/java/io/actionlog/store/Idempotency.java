package io.actionlog.store;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.NewAction;
import io.actionlog.journal.Entry;
import java.util.Objects;

/**
 * Whether a repeated record request matches what is stored. Only the fields the recorder supplied count:
 * defaults such as start_date (the time of the request) legitimately differ between two tries.
 */
final class Idempotency {
    private static final ActionField[] FIELDS = ActionField.values();

    private Idempotency() {
    }

    static boolean sameContent(NewAction a, Entry.Created c) {
        for (ActionField field : FIELDS) {
            if (a.supplied().contains(field.apiName()) && !same(field, a, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(ActionField field, NewAction a, Entry.Created c) {
        ActionData given = a.data();
        ActionData stored = c.data();
        return switch (field) {
            // The uuid is how the two were matched; a new server assigns its own id and recorded_by.
            case ID, UUID, RECORDED_BY -> true;
            case RETRY_OF -> Objects.equals(given.retryOf(), stored.retryOf());
            case USER -> given.user().equals(stored.user());
            case ACTION -> given.action().equals(stored.action());
            case METHOD -> given.method().equals(stored.method());
            case PATH -> given.path().equals(stored.path());
            case OBJECT -> given.object().equals(stored.object());
            case PARENTS -> given.parents().equals(stored.parents());
            case IP -> given.ip().equals(stored.ip());
            case LOCATION -> given.location().equals(stored.location());
            case USER_AGENT -> given.userAgent().equals(stored.userAgent());
            case BODY -> given.body().equals(stored.body());
            case STATE -> a.state().code == c.state();
            case START_DATE -> given.startDate() == stored.startDate();
            case END_DATE -> a.endDate() == c.endDate();
            case LOGS -> a.logs().equals(c.logs());
            case ERROR -> a.error().equals(c.error());
            case METADATA -> Objects.equals(a.metadata(), c.metadata());
            case USER_ACTION -> given.userAction() == stored.userAction();
        };
    }
}
