package io.actionlog.http.tutum;

import static io.actionlog.http.QueryParams.last;

import io.actionlog.action.ActionField;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.Dates;
import io.actionlog.action.IpAddresses;
import io.actionlog.action.State;
import io.actionlog.auth.Caller;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.actionlog.index.Order;
import io.actionlog.index.Query;
import io.vertx.core.MultiMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;

/**
 * The list parameters of the Tutum face, parsed into a {@link Query}. Unknown parameters are ignored; a known one
 * with a bad value is a 400 naming it. A caller that may not read everything is always limited to its own actions.
 * A parameter given more than once is read as Tastypie reads Django's query: the last value counts, but the values
 * of an {@code __in} filter are all taken, each split on commas.
 */
final class ListParams {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 1000;
    private static final Pattern UUID_PREFIX = Pattern.compile(
            "[0-9a-f]{0,8}|[0-9a-f]{8}-[0-9a-f]{0,4}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{0,4}"
                    + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{0,4}"
                    + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{0,12}");
    private static final Map<String, Order> ORDERS = Map.of("start_date", Order.START_ASC, "-start_date",
            Order.START_DESC, "end_date", Order.END_ASC, "-end_date", Order.END_DESC, "id", Order.ID_ASC,
            "-id", Order.ID_DESC);

    /** The uuid filters, which the handler resolves against the journal before running the query. */
    record UuidFilter(UUID exact, String prefix) {
    }

    private ListParams() {
    }

    static Query.Builder parse(MultiMap p, Caller caller) {
        Query.Builder b = Query.builder();
        b.limit = limit(last(p, "limit"));
        b.offset = whole("offset", last(p, "offset"), 0);
        if (last(p, "state") != null) {
            b.states(EnumSet.of(state("state", last(p, "state"))));
        }
        List<String> stateIn = QueryParams.all(p, "state__in");
        if (!stateIn.isEmpty()) {
            Set<State> in = EnumSet.noneOf(State.class);
            for (String value : stateIn) {
                for (String s : value.split(",", -1)) {
                    in.add(state("state__in", s.trim()));
                }
            }
            b.states(in);
        }
        b.startFrom = from(p, "start_date");
        b.startTo = to(p, "start_date");
        b.endFrom = from(p, "end_date");
        b.endTo = to(p, "end_date");
        b.object = last(p, "object");
        b.includeRelated = bool("include_related", last(p, "include_related"));
        b.action = last(p, "action");
        b.method = method(last(p, "method"));
        b.ip = ip(last(p, "ip"));
        b.order = order(last(p, "order_by"));
        scopeToCaller(b, last(p, "user"), caller);
        return b;
    }

    /** A method as a recorder may give one, upper-cased as recorded ("": actions recorded without one); null for none. */
    private static String method(String s) {
        if (s == null) {
            return null;
        }
        if (s.length() > ActionField.METHOD.limit() || !ActionRequests.lettersOnly(s)) {
            throw HttpError.badRequest("method: not an HTTP method (ASCII letters, at most "
                    + ActionField.METHOD.limit() + ")");
        }
        return s.toUpperCase(Locale.ROOT);
    }

    /** An address as a recorder may give one ("": actions recorded without one); it matches the recorded text as it is. */
    private static String ip(String s) {
        if (s != null && !s.isEmpty() && !IpAddresses.valid(s)) {
            throw HttpError.badRequest("ip: not an IPv4 or IPv6 address");
        }
        return s;
    }

    static UuidFilter uuidFilter(MultiMap p) {
        UUID exact = null;
        String exactText = last(p, "uuid");
        if (exactText != null) {
            try {
                exact = UUID.fromString(exactText);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("uuid: not a UUID");
            }
        }
        String prefix = last(p, "uuid__startswith");
        if (prefix != null) {
            prefix = prefix.toLowerCase(Locale.ROOT);
            if (!UUID_PREFIX.matcher(prefix).matches()) {
                throw HttpError.badRequest("uuid__startswith: not the start of a UUID");
            }
        }
        return new UuidFilter(exact, prefix);
    }

    private static void scopeToCaller(Query.Builder b, String user, Caller caller) {
        if (caller.role().readsAll()) {
            b.user = user;
            return;
        }
        b.user = caller.name();
        if (user != null && !user.equals(caller.name())) {
            b.restrict = new RoaringBitmap();
        }
    }

    private static int limit(String v) {
        int limit = whole("limit", v, DEFAULT_LIMIT);
        return limit == 0 ? MAX_LIMIT : Math.min(limit, MAX_LIMIT);
    }

    private static int whole(String name, String v, int fallback) {
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpError.badRequest(name + ": expected a whole number of at least 0, got '" + v + "'");
    }

    private static State state(String name, String v) {
        State s = State.ofLabel(v);
        if (s == null) {
            throw HttpError.badRequest(name + ": '" + v + "' is not one of " + State.labels());
        }
        return s;
    }

    static boolean bool(String name, String v) {
        if (v == null) {
            return false;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes":
                return true;
            case "false", "0", "no":
                return false;
            default:
                throw HttpError.badRequest(name + ": expected true or false, got '" + v + "'");
        }
    }

    private static Order order(String v) {
        if (v == null) {
            return Order.START_DESC;
        }
        Order o = ORDERS.get(v);
        if (o == null) {
            throw HttpError.badRequest("order_by: expected one of start_date, -start_date, end_date, -end_date, "
                    + "id, -id, got '" + v + "'");
        }
        return o;
    }

    /** Lower bound in microseconds from __gte / __gt (the later of the two when both are given). */
    private static long from(MultiMap p, String field) {
        long gte = bound(p, field + "__gte", false, Long.MIN_VALUE);
        return Math.max(gte, bound(p, field + "__gt", true, Long.MIN_VALUE));
    }

    /** Upper bound (exclusive) in microseconds from __lt / __lte (the earlier of the two). */
    private static long to(MultiMap p, String field) {
        long lt = bound(p, field + "__lt", false, Long.MAX_VALUE);
        return Math.min(lt, bound(p, field + "__lte", true, Long.MAX_VALUE));
    }

    /** The date in parameter {@code key}, or just past the whole unit it names when {@code past}; or {@code none}. */
    private static long bound(MultiMap p, String key, boolean past, long none) {
        String v = last(p, key);
        if (v == null) {
            return none;
        }
        return past ? date(key, v) + granularity(v) : date(key, v);
    }

    /**
     * Dates shown by this face have whole seconds, so a bound written without a fraction means that whole second:
     * {@code __lte} includes all of it and {@code __gt} starts after it.
     */
    private static long granularity(String v) {
        return v.indexOf('.') >= 0 ? 1 : 1_000_000L;
    }

    private static long date(String name, String v) {
        try {
            return Dates.parse(v);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(name + ": '" + v + "' is " + e.getMessage());
        }
    }
}
