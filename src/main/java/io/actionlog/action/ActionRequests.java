package io.actionlog.action;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** Turns request bodies into validated domain values, applying the defaults of the contract. */
public final class ActionRequests {
    private static final String[] RECORD_NAMES = {"uuid", "user", "action", "method", "path", "object", "parents",
        "ip", "location", "user_agent", "body", "state", "start_date", "end_date", "logs", "error", "metadata",
        "is_user_action"};
    static final Set<String> READ_ONLY = Set.of("id", "resource_uri", "can_be_canceled", "can_be_retried",
            "retry_of", "recorded_by");
    private static final String[] CHANGE_NAMES = {"state", "error", "metadata", "end_date"};

    private ActionRequests() {
    }

    /**
     * @param caller  name of the credential recording it: the default user and the attribution
     * @param locate  looks up a location for an ip when the recorder gave none
     * @param redaction masks secrets in {@code body}: here, so every way in (single and bulk) redacts
     */
    public static NewAction record(Members json, String caller, long now, Function<String, String> locate,
                                   Redaction redaction) {
        Fields f = new Fields(json, RECORD_NAMES, READ_ONLY);
        if (!f.has("action")) {
            throw ActionException.invalid("action", "is required");
        }
        String action = f.name("action", null, Limits.ACTION);
        if (action.isEmpty()) {
            throw ActionException.invalid("action", "must not be empty");
        }
        String user = f.name("user", caller, Limits.USER);
        if (user.isEmpty()) {
            throw ActionException.invalid("user", "must not be empty");
        }
        String method = f.name("method", "", Limits.METHOD);
        if (!lettersOnly(method)) {
            throw ActionException.invalid("method", "not an HTTP method");
        }
        String ip = f.name("ip", "", 64);
        if (!ip.isEmpty() && !IpAddresses.valid(ip)) {
            throw ActionException.invalid("ip", "'" + ip + "' is not an IPv4 or IPv6 address");
        }
        String location = f.name("location", null, Limits.LOCATION);
        if (location == null) {
            location = ip.isEmpty() ? "unknown" : locate.apply(ip);
        }
        State state = f.state("state", State.PENDING);
        long start = f.date("start_date", now);
        long end = endDate(f, state, start, now);
        String metadata = f.jsonObject("metadata", Limits.METADATA);
        return new NewAction(uuid(f), user, action, method.toUpperCase(Locale.ROOT),
                f.name("path", "", Limits.URI), f.name("object", "", Limits.URI),
                f.names("parents", Limits.PARENTS, Limits.URI), ip, location,
                f.text("user_agent", "", Limits.USER_AGENT), f.textOrJson("body", Limits.BODY, redaction), state,
                start, end,
                f.text("logs", "", Limits.LOGS), f.text("error", "", Limits.ERROR),
                metadata == null ? "{}" : metadata, f.bool("is_user_action", true), null, caller,
                f.present);
    }

    /** A requested move: state is required; error and metadata are null when they are to stay as they are. */
    public static StateChange change(Members json) {
        Fields f = new Fields(json, CHANGE_NAMES, Set.of());
        State state = f.state("state", null);
        if (state == null) {
            throw ActionException.invalid("state", "is required");
        }
        long end = f.date("end_date", Long.MIN_VALUE);
        if (end != Long.MIN_VALUE && !state.isTerminal()) {
            throw ActionException.invalid("end_date", "only a move to Success, Failed or Canceled sets it");
        }
        return new StateChange(state, f.has("error") ? f.text("error", "", Limits.ERROR) : null,
                f.jsonObject("metadata", Limits.METADATA), end);
    }

    /** A finished action's end date: as given, else now, but never before it started (clocks of callers drift). */
    private static long endDate(Fields f, State state, long start, long now) {
        long end = f.date("end_date", Long.MIN_VALUE);
        if (end != Long.MIN_VALUE && !state.isTerminal()) {
            throw ActionException.invalid("end_date", "only an action in a terminal state has one");
        }
        if (end != Long.MIN_VALUE) {
            requireNotBefore(end, start);
            return end;
        }
        return state.isTerminal() ? Math.max(now, start) : end;
    }

    /** An end before the start is a recorder's mistake that would make every duration negative: refused. */
    public static void requireNotBefore(long end, long start) {
        if (end < start) {
            throw ActionException.invalid("end_date", Dates.rfc1123(end) + " is earlier than start_date "
                    + Dates.rfc1123(start));
        }
    }

    /** ASCII letters only, as HTTP method names are (the length is held to Limits.METHOD by Fields.name). */
    private static boolean lettersOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 'A' || c > 'Z') && (c < 'a' || c > 'z')) {
                return false;
            }
        }
        return true;
    }

    private static UUID uuid(Fields f) {
        UUID given = f.uuid("uuid");
        return given != null ? given : UUID.randomUUID();
    }
}
