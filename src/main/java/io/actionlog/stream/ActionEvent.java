package io.actionlog.stream;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import java.util.List;
import java.util.UUID;

/** One create or state change of an action, as the events feed shows it; {@code at} in epoch microseconds. */
record ActionEvent(boolean created, Head head, State state, long at) {

    /** What never changes about an action and what the feed needs of it: enough to filter and render. */
    record Head(UUID uuid, String user, String object, List<String> parents) {
        /** Only these four: a head is cached, and must not keep an action's body alive. */
        static Head of(ActionData d) {
            return new Head(d.uuid(), d.user(), d.object(), d.parents());
        }

        /**
         * The characters of its texts, the uuid's 36 included: what the cache of heads bounds. A user, object or
         * parents the entry lacks (the codec reads such entries too) count none, rather than fail the cache.
         */
        long chars() {
            long n = 36 + (user == null ? 0 : user.length()) + (object == null ? 0 : object.length());
            for (String p : parents == null ? List.<String>of() : parents) {
                n += p.length();
            }
            return n;
        }
    }
}
