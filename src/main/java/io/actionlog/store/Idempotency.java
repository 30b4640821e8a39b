package io.actionlog.store;

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
        return switch (field) {
            // The uuid is how the two were matched; the server's fields are never supplied.
            case ID, UUID, RETRY_OF, RECORDED_BY -> true;
            case USER -> a.user().equals(c.user());
            case ACTION -> a.action().equals(c.action());
            case METHOD -> a.method().equals(c.method());
            case PATH -> a.path().equals(c.path());
            case OBJECT -> a.object().equals(c.object());
            case PARENTS -> a.parents().equals(c.parents());
            case IP -> a.ip().equals(c.ip());
            case LOCATION -> a.location().equals(c.location());
            case USER_AGENT -> a.userAgent().equals(c.userAgent());
            case BODY -> a.body().equals(c.body());
            case STATE -> a.state().code == c.state();
            case START_DATE -> a.startDate() == c.startDate();
            case END_DATE -> a.endDate() == c.endDate();
            case LOGS -> a.logs().equals(c.logs());
            case ERROR -> a.error().equals(c.error());
            case METADATA -> Objects.equals(a.metadata(), c.metadata());
            case USER_ACTION -> a.userAction() == c.userAction();
        };
    }
}
