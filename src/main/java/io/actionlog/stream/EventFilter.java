package io.actionlog.stream;

import io.actionlog.auth.Caller;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.vertx.core.MultiMap;

/**
 * Which events one events socket receives: only actions the caller may see (a role that reads all, or the
 * owner), narrowed by the optional query parameters {@code type} (the resource type; this server only has
 * {@code action}), {@code object} (the action's object, exactly) and
 * {@code parent} (one of the action's parents, exactly). Given together they must all match.
 */
record EventFilter(Caller caller, String type, String object, String parent) {
    static final String ACTION_TYPE = "action";

    /** A 400 naming {@code type} when it asks for events this stream never carries (log lines have their own). */
    static EventFilter of(Caller caller, MultiMap query) {
        String type = blankToNull(QueryParams.last(query, "type"));
        if (type != null && !type.equals(ACTION_TYPE)) {
            throw HttpError.badRequest("type: this stream carries only 'action' events, not '" + type
                    + "' (log lines are on /v1/action/<uuid>/logs/)");
        }
        return new EventFilter(caller, type, blankToNull(QueryParams.last(query, "object")),
                blankToNull(QueryParams.last(query, "parent")));
    }

    boolean matches(ActionEvent e) {
        ActionEvent.Head h = e.head();
        return (caller.role().readsAll() || h.user().equals(caller.name()))
                && (type == null || type.equals(ACTION_TYPE))
                && (object == null || object.equals(h.object()))
                && (parent == null || h.parents().contains(parent));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
