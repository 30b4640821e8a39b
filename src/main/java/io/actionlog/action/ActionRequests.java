package io.actionlog.action;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static io.actionlog.action.ActionField.ACTION;
import static io.actionlog.action.ActionField.BODY;
import static io.actionlog.action.ActionField.END_DATE;
import static io.actionlog.action.ActionField.ERROR;
import static io.actionlog.action.ActionField.IP;
import static io.actionlog.action.ActionField.LOCATION;
import static io.actionlog.action.ActionField.LOGS;
import static io.actionlog.action.ActionField.METADATA;
import static io.actionlog.action.ActionField.METHOD;
import static io.actionlog.action.ActionField.OBJECT;
import static io.actionlog.action.ActionField.PARENTS;
import static io.actionlog.action.ActionField.PATH;
import static io.actionlog.action.ActionField.RECORDED_BY;
import static io.actionlog.action.ActionField.RETRY_OF;
import static io.actionlog.action.ActionField.START_DATE;
import static io.actionlog.action.ActionField.STATE;
import static io.actionlog.action.ActionField.USER;
import static io.actionlog.action.ActionField.USER_ACTION;
import static io.actionlog.action.ActionField.USER_AGENT;

/**
 * Turns request bodies into validated domain values, applying the defaults of the contract. Names and limits are
 * those of {@link ActionField}; a new writable field is refused as unknown until {@link #record} reads it.
 */
public final class ActionRequests {
    private static final String[] RECORD_NAMES = ActionField.writableNames();
    /** The server's fields, and the keys the Tutum face derives from the others. */
    static final Set<String> READ_ONLY = readOnly("resource_uri", "can_be_canceled", "can_be_retried");
    /**
     * What a bulk line may carry besides: the keys of an export line that the server assigns. A new server assigns
     * its own id and recorded_by, so those are ignored; retry_of names another action's uuid and is kept.
     */
    private static final Set<String> EXPORTED = Set.of(ActionField.ID.apiName(), RECORDED_BY.apiName(),
            RETRY_OF.apiName());
    private static final String[] LOAD_NAMES = loadNames();
    private static final Set<String> LOAD_READ_ONLY = loadReadOnly();
    private static final String[] CHANGE_NAMES = {STATE.apiName(), ERROR.apiName(), METADATA.apiName(),
        END_DATE.apiName()};

    private ActionRequests() {
    }

    /**
     * @param caller  name of the credential recording it: the default user and the attribution
     * @param locate  looks up a location for an ip when the recorder gave none
     * @param redaction masks secrets in {@code body}: here, so every way in (single and bulk) redacts
     */
    public static NewAction record(Members json, String caller, long now, Function<String, String> locate,
                                   Redaction redaction) {
        return record(new Fields(json, RECORD_NAMES, READ_ONLY), null, caller, now, locate, redaction);
    }

    /**
     * A bulk line: as {@link #record}, and it may also carry the keys an export line has that a new server assigns
     * (see {@link #EXPORTED}), so that an export loads unchanged.
     */
    public static NewAction load(Members json, String caller, long now, Function<String, String> locate,
                                 Redaction redaction) {
        Fields f = new Fields(json, LOAD_NAMES, LOAD_READ_ONLY);
        return record(f, f.uuid(RETRY_OF.apiName()), caller, now, locate, redaction);
    }

    private static NewAction record(Fields f, UUID retryOf, String caller, long now, Function<String, String> locate,
                                    Redaction redaction) {
        if (!f.has(ACTION.apiName())) {
            throw ActionException.invalid(ACTION.apiName(), "is required");
        }
        String action = name(f, ACTION, null);
        if (action.isEmpty()) {
            throw ActionException.invalid(ACTION.apiName(), "must not be empty");
        }
        String user = name(f, USER, caller);
        if (user.isEmpty()) {
            throw ActionException.invalid(USER.apiName(), "must not be empty");
        }
        String method = name(f, METHOD, "");
        if (!lettersOnly(method)) {
            throw ActionException.invalid(METHOD.apiName(), "not an HTTP method");
        }
        String ip = name(f, IP, "");
        if (!ip.isEmpty() && !IpAddresses.valid(ip)) {
            throw ActionException.invalid(IP.apiName(), "'" + ip + "' is not an IPv4 or IPv6 address");
        }
        String location = name(f, LOCATION, null);
        if (location == null) {
            location = ip.isEmpty() ? "unknown" : locate.apply(ip);
        }
        State state = f.state(STATE.apiName(), State.PENDING);
        long end = f.date(END_DATE.apiName(), Long.MIN_VALUE);
        // A start left out is now, but never after a given end: an action recorded once it had finished would
        // otherwise end before a start it never gave (400), and a repeat of it by uuid would meet a start of its own.
        long start = f.date(START_DATE.apiName(), end == Long.MIN_VALUE ? now : Math.min(now, end));
        end = endDate(end, state, start, now);
        String metadata = f.jsonObject(METADATA.apiName(), METADATA.limit());
        ActionData data = new ActionData(uuid(f), user, action, method.toUpperCase(Locale.ROOT), name(f, PATH, ""),
                name(f, OBJECT, ""), f.names(PARENTS.apiName(), PARENTS.limit(), ActionField.PARENT_LENGTH), ip,
                location, text(f, USER_AGENT), f.textOrJson(BODY.apiName(), BODY.limit(), redaction), start,
                f.bool(USER_ACTION.apiName(), true), retryOf, caller);
        return new NewAction(data, state, end, text(f, LOGS), text(f, ERROR), metadata == null ? "{}" : metadata,
                f.present);
    }

    /** A requested move: state is required; error and metadata are null when they are to stay as they are. */
    public static StateChange change(Members json) {
        Fields f = new Fields(json, CHANGE_NAMES, Set.of());
        State state = f.state(STATE.apiName(), null);
        if (state == null) {
            throw ActionException.invalid(STATE.apiName(), "is required");
        }
        long end = f.date(END_DATE.apiName(), Long.MIN_VALUE);
        if (end != Long.MIN_VALUE && !state.isTerminal()) {
            throw ActionException.invalid(END_DATE.apiName(), "only a move to Success, Failed or Canceled sets it");
        }
        return new StateChange(state, f.has(ERROR.apiName()) ? text(f, ERROR) : null,
                f.jsonObject(METADATA.apiName(), METADATA.limit()), end);
    }

    /** A finished action's end date: as given, else now, but never before it started (clocks of callers drift). */
    private static long endDate(long end, State state, long start, long now) {
        if (end != Long.MIN_VALUE && !state.isTerminal()) {
            throw ActionException.invalid(END_DATE.apiName(), "only an action in a terminal state has one");
        }
        if (end != Long.MIN_VALUE) {
            return notBefore(end, start);
        }
        return state.isTerminal() ? Math.max(now, start) : end;
    }

    /**
     * The end date to record for {@code end}: an end before the start is a recorder's mistake that would make every
     * duration negative, refused; but one within the start's own second is the start. The face shows dates in whole
     * seconds while the start is kept to the microsecond, so an action that ends in the second it began, its end
     * written in the face's own format, would otherwise be refused as "earlier" than a start shown as the same date.
     */
    public static long notBefore(long end, long start) {
        if (end >= start) {
            return end;
        }
        if (Math.floorDiv(end, 1_000_000L) == Math.floorDiv(start, 1_000_000L)) {
            return start;
        }
        throw ActionException.invalid(END_DATE.apiName(), Dates.rfc1123(end) + " is earlier than "
                + START_DATE.apiName() + " " + Dates.rfc1123(start));
    }

    private static String name(Fields f, ActionField field, String fallback) {
        return f.name(field.apiName(), fallback, field.limit());
    }

    /** Free text: "" when not given. */
    private static String text(Fields f, ActionField field) {
        return f.text(field.apiName(), "", field.limit());
    }

    private static String[] loadNames() {
        Set<String> names = new java.util.LinkedHashSet<>(java.util.Arrays.asList(RECORD_NAMES));
        names.addAll(EXPORTED);
        return names.toArray(String[]::new);
    }

    private static Set<String> loadReadOnly() {
        Set<String> names = new HashSet<>(READ_ONLY);
        names.removeAll(EXPORTED);
        return Set.copyOf(names);
    }

    private static Set<String> readOnly(String... derived) {
        Set<String> names = new HashSet<>(ActionField.readOnlyNames());
        names.addAll(Set.of(derived));
        return Set.copyOf(names);
    }

    /**
     * ASCII letters only, as HTTP method names are (the length is held to METHOD's limit by Fields.name); the list
     * filter on methods takes what recording takes.
     */
    public static boolean lettersOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 'A' || c > 'Z') && (c < 'a' || c > 'z')) {
                return false;
            }
        }
        return true;
    }

    private static UUID uuid(Fields f) {
        UUID given = f.uuid(ActionField.UUID.apiName());
        return given != null ? given : UUID.randomUUID();
    }
}
