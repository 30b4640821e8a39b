package io.actionlog.http.waldur;

import io.actionlog.action.Action;
import io.actionlog.auth.Caller;
import io.actionlog.http.Callers;
import io.actionlog.http.FailureHandler;
import io.actionlog.http.SendBudget;
import io.actionlog.http.HttpError;
import io.actionlog.http.OutOfMemory;
import io.actionlog.http.PublicOrigin;
import io.actionlog.index.Page;
import io.actionlog.index.Query;
import io.actionlog.index.Row;
import io.actionlog.index.Sort;
import io.actionlog.index.SortLimitException;
import io.actionlog.store.ActionReader.Depth;
import io.actionlog.store.ActionStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * Handlers of Waldur's User Action Executions API, one per route; the route table is in {@code Routes}. Every
 * caller sees only its own actions, whatever its role. HEAD answers the same status and headers as GET without
 * reading a single action from the journal: it only counts.
 */
public final class WaldurApi {
    public static final String PREFIX = "/api/user-action-executions";

    private final ActionStore store;
    private final PublicOrigin origin;
    private final int maxPageBytes;
    private final SendBudget sends;

    /**
     * {@code maxPageBytes}: the most bytes of stored entries a list page holds at a time (see {@link WaldurPage});
     * {@code sends}: what answers may pin in connections.
     */
    public WaldurApi(ActionStore store, PublicOrigin origin, int maxPageBytes, SendBudget sends) {
        this.store = store;
        this.origin = origin;
        this.maxPageBytes = maxPageBytes;
        this.sends = sends;
    }

    /** The failure handler of this face: {@code {"detail": ...}}, and a Token challenge on a 401. */
    public static FailureHandler failureHandler(OutOfMemory outOfMemory) {
        return new FailureHandler("detail", "Token", "Token", WaldurApi::standardMessage, outOfMemory);
    }

    public void list(RoutingContext ctx) {
        QueryString qs = QueryString.parse(ctx.request().query());
        int size = Paging.pageSize(qs.last("page_size"));
        long requested = Paging.requestedPage(qs.last("page"));
        Query.Builder query = Query.builder();
        query.user = Callers.of(ctx).name();
        query.sort = Ordering.parse(qs.last("o"));
        query.texts = this::text;
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        Listing listing = fetch(query, requested, size, head);
        // The route's own path, not the request's: the raw path is whatever the client wrote, '..' and all.
        String base = origin.of(ctx.request()) + PREFIX + "/";
        ctx.response().putHeader("X-Result-Count", Long.toString(listing.total()))
                .putHeader("Link", Paging.links(base, qs, listing.page(), listing.pages()));
        if (head) {
            send(ctx, true, null);
        } else {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json");
            new WaldurPage(ctx, store.reader(), listing.rows(), maxPageBytes, sends).start();
        }
    }

    private record Listing(int page, int pages, long total, List<Row> rows) {
    }

    /**
     * The page asked for. "last" and HEAD need the total first (a count, no rows); a numbered page is fetched at
     * once and checked against the total that comes with it.
     */
    private Listing fetch(Query.Builder query, long requested, int size, boolean head) {
        long total = -1;
        if (requested == Paging.LAST || head) {
            query.limit = 0;
            total = list(query).total();
        }
        int page = (int) (requested == Paging.LAST ? Paging.pages(total, size) : requested);
        List<Row> rows = List.of();
        if (!head) {
            long offset = (long) (page - 1) * size;
            if (page > 1 && offset >= store.index().size()) {
                throw Paging.invalidPage();
            }
            query.offset = (int) offset;
            query.limit = size;
            Page p = list(query);
            total = p.total();
            rows = p.rows();
        }
        int pages = Paging.pages(total, size);
        if (page > pages) {
            throw Paging.invalidPage();
        }
        return new Listing(page, pages, total, rows);
    }

    public void detail(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Row row = own(idOf(ctx.normalizedPath()), caller);
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        if (!head) {
            sends.refuseIfSpent(ctx, SendBudget.SMALL);
        }
        send(ctx, head, () -> {
            Action a = store.read(row, Depth.CURRENT);
            return WaldurView.one(a).toBuffer();
        });
    }

    /** The path's segment after the prefix: {@code 5} of {@code /api/user-action-executions/5/}. */
    private static String idOf(String path) {
        int start = PREFIX.length() + 1;
        int end = path.indexOf('/', start);
        return path.substring(start, end < 0 ? path.length() : end);
    }

    /** The caller's action with this id; any other id, missing, foreign or not a number, is 404. */
    private Row own(String id, Caller caller) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw HttpError.notFound();
        }
        Row row = store.row(n);
        if (row == null || !store.reader().created(row).data().user().equals(caller.name())) {
            throw HttpError.notFound();
        }
        return row;
    }

    private Page list(Query.Builder query) {
        try {
            return store.list(query.build());
        } catch (SortLimitException e) {
            throw HttpError.badRequest("Ordering by " + Ordering.name(e.key()) + " is not available for this many "
                    + "actions: " + e.getMessage() + ".");
        }
    }

    private String text(Sort.Key key, Row row) {
        if (key == Sort.Key.ACTION) {
            return store.reader().created(row).data().action(); // a name never changes: one read
        }
        Action a = store.read(row, Depth.CURRENT);
        return key == Sort.Key.ERROR ? a.error() : a.metadata();
    }

    private void send(RoutingContext ctx, boolean head, Supplier<Buffer> body) {
        HttpServerResponse response = ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        if (head) {
            response.end();
        } else {
            sends.end(ctx, body.get());
        }
    }

    /** The router's own failures under this face: an unknown path, or a method it does not serve. */
    private static String standardMessage(int status, RoutingContext ctx) {
        return switch (status) {
            case 400 -> ctx.request().authority() == null
                    ? "Malformed request: a Host that is not a host name or address."
                    : "Malformed request: a path or query that is not valid percent-encoding.";
            case 404 -> "Not found.";
            case 405 -> {
                ctx.response().putHeader("Allow", "GET, HEAD");
                yield "Method \"" + ctx.request().method().name() + "\" not allowed.";
            }
            case 413 -> "Request body is too large.";
            default -> "Request failed.";
        };
    }
}
