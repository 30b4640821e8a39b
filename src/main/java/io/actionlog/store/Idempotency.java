package io.actionlog.store;

import io.actionlog.action.NewAction;
import io.actionlog.journal.Entry;
import java.util.Objects;

/**
 * Whether a repeated record request matches what is stored. Only the fields the recorder supplied count:
 * defaults such as start_date (the time of the request) legitimately differ between two tries.
 */
final class Idempotency {
    private Idempotency() {
    }

    static boolean sameContent(NewAction a, Entry.Created c) {
        for (String field : a.supplied()) {
            if (!same(field, a, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(String field, NewAction a, Entry.Created c) {
        return switch (field) {
            case "uuid" -> true;
            case "user" -> a.user().equals(c.user());
            case "action" -> a.action().equals(c.action());
            case "method" -> a.method().equals(c.method());
            case "path" -> a.path().equals(c.path());
            case "object" -> a.object().equals(c.object());
            case "parents" -> a.parents().equals(c.parents());
            case "ip" -> a.ip().equals(c.ip());
            case "location" -> a.location().equals(c.location());
            case "user_agent" -> a.userAgent().equals(c.userAgent());
            case "body" -> a.body().equals(c.body());
            case "state" -> a.state().code == c.state();
            case "start_date" -> a.startDate() == c.startDate();
            case "end_date" -> a.endDate() == c.endDate();
            case "logs" -> a.logs().equals(c.logs());
            case "error" -> a.error().equals(c.error());
            case "metadata" -> Objects.equals(a.metadata(), c.metadata());
            case "is_user_action" -> a.userAction() == c.userAction();
            default -> false;
        };
    }
}
