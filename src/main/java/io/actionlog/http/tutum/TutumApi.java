package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionField;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.Dates;
import io.actionlog.action.Fields;
import io.actionlog.action.Members;
import io.actionlog.action.NewAction;
import io.actionlog.action.Redaction;
import io.actionlog.auth.Caller;
import io.actionlog.auth.CredentialChange;
import io.actionlog.http.Callers;
import io.actionlog.http.ChunkedDownload;
import io.actionlog.http.SendBudget;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.actionlog.http.Json;
import io.actionlog.http.JsonBytes;
import io.actionlog.http.Replies;
import io.actionlog.index.Query;
import io.actionlog.index.Page;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionReader;
import io.actionlog.store.ActionReader.Depth;
import io.actionlog.store.ActionStore;
import io.actionlog.store.PageEntries;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/** Handlers of the Tutum Action API, one per route; the route table is in {@code Routes}. */
public final class TutumApi {
    /** The list route's path, as the route table spells it: what paging links start with. */
    static final String LIST_PATH = "/api/v1/action/";

    private final ActionStore store;
    private final Function<String, String> locate;
    private final Redaction redaction;
    private final int maxPageBytes;
    private final int detailLogBytes;
    private final SendBudget sends;
    /**
     * The heap that running exports hold besides their chunks (their matches and read buffers), held to as much as
     * {@code sends} allows chunks, with the same share per caller: a client that starts exports and does not read
     * them would otherwise pin that heap for each, however many it starts.
     */
    private final SendBudget exports;

    /**
     * {@code maxPageBytes}: the most JSON a list page's rows take (and of stored entries it holds);
     * {@code detailLogBytes}: how much of its logs' end a detail (and the reply to a write) shows; {@code sends}:
     * what the answers of reads may pin in connections.
     */
    public TutumApi(ActionStore store, Function<String, String> locate, Redaction redaction, int maxPageBytes,
                    int detailLogBytes, SendBudget sends) {
        this.store = store;
        this.locate = locate;
        this.redaction = redaction;
        this.maxPageBytes = maxPageBytes;
        this.detailLogBytes = detailLogBytes;
        this.sends = sends;
        this.exports = new SendBudget(sends.limit());
    }

    public void list(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        var query = ListParams.parse(ctx.queryParams(), caller);
        var uuids = ListParams.uuidFilter(ctx.queryParams());
        if (uuids.exact() != null || uuids.prefix() != null) {
            query.restrict = UuidMatches.resolve(store, uuids, query.restrict);
        }
        sends.refuseIfSpent(ctx, maxPageBytes);
        Page page = store.list(query.build());
        // The page is written by hand, its rows straight from their stored bytes, and ends early rather than go
        // past maxPageBytes: then next goes on from the first row left out.
        PageEntries created = store.reader().page(page.rows(), maxPageBytes);
        JsonBytes rows = new JsonBytes(TutumView.pageCapacity(page.rows().size()));
        int shown = TutumView.rows(rows, created, page.rows(), maxPageBytes);
        read(ctx, Envelope.write(ctx, page, query.offset, query.limit, shown, rows));
    }

    /** Counts per hour or day and state for the list's filters, from the index alone (see {@link ActionStats}). */
    public void stats(RoutingContext ctx) {
        ActionStats.answer(ctx, store);
    }

    /**
     * Every match of the list's filters and order, as of the request, streamed as NDJSON or CSV with every field
     * (see {@link ExportCursor}); offset and limit do not apply.
     */
    public void export(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        ExportFormat format = ExportFormat.of(QueryParams.last(ctx.queryParams(), "format"));
        boolean withLogs = ListParams.bool("include_logs", QueryParams.last(ctx.queryParams(), "include_logs"));
        var query = ListParams.parse(ctx.queryParams(), caller);
        var uuids = ListParams.uuidFilter(ctx.queryParams());
        if (uuids.exact() != null || uuids.prefix() != null) {
            query.restrict = UuidMatches.resolve(store, uuids, query.restrict);
        }
        Query q = query.build();
        // Room for the export's buffers before any work (a 503 when spent), then for its matches too, until it ends.
        SendBudget.Reservation held = exports.reserve(ctx, ExportCursor.HEAP_BYTES);
        ctx.addEndHandler(v -> held.cancel());
        // Selecting every match walks or sorts them all: on a worker, not the event loop.
        Replies.after(ctx, ctx.vertx().executeBlocking(() -> store.matches(q), false).toCompletionStage(), matches -> {
            held.hold(ExportCursor.HEAP_BYTES + (long) Integer.BYTES * matches.ordinals().length);
            String file = "actions-" + Dates.rfc3339(Dates.now()).substring(0, 10) + "." + format.extension();
            ctx.response().setStatusCode(200).putHeader("Content-Type", format.contentType())
                    .putHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
            ChunkedDownload.start(ctx, sends, new ExportCursor(store, matches, format, withLogs));
        });
    }

    public void detail(RoutingContext ctx) {
        ActionStore.Found found = visible(ctx, Callers.of(ctx));
        sends.refuseIfSpent(ctx, SendBudget.SMALL);
        read(ctx, detail(found.row(), found.created()));
    }

    /** All logs, streamed (see {@link LogsDownload}); read access as the detail's. */
    public void logs(RoutingContext ctx) {
        ActionStore.Found found = visible(ctx, Callers.of(ctx));
        LogsDownload.start(ctx, sends, store, found);
    }

    public void record(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        withBody(ctx, json -> ActionRequests.record(json, caller.name(), Dates.now(), locate, redaction),
                action -> recordParsed(ctx, action));
    }

    private void recordParsed(RoutingContext ctx, NewAction action) {
        Replies.after(ctx, store.record(action), recorded -> {
            if (recorded.created()) {
                ctx.response().putHeader("Location", TutumView.BASE + action.data().uuid() + "/");
            }
            // The writer hands back the Created entry; only later changes, if any came in between, are read.
            ok(ctx, recorded.created() ? 201 : 200, detail(store.row(recorded.id()), recorded.entry()));
        });
    }

    public void update(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        Row row = changeable(visible(ctx, caller));
        withBody(ctx, ActionRequests::change,
                change -> Replies.after(ctx, store.change(row.id(), change), id -> sendAction(ctx, 200, store.row(id))));
    }

    public void appendLogs(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        Row row = changeable(visible(ctx, caller));
        String text = Json.text(ctx);
        if (Fields.longerThan(text, ActionField.LOGS.limit())) {
            throw new HttpError(413, "body: a log append is at most " + ActionField.LOGS.limit() + " characters");
        }
        Replies.after(ctx, store.appendLogs(row.id(), text), id -> ok(ctx, 200,
                TutumView.json(store.read(store.row(id), Depth.RECORDED)).toBuffer()));
    }

    public void cancel(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Row row = ownedOrAdmin(ctx, caller);
        Replies.after(ctx, store.cancel(row.id()), id -> sendAction(ctx, 200, store.row(id)));
    }

    public void retry(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Row row = ownedOrAdmin(ctx, caller);
        Replies.after(ctx, store.retry(row.id(), caller.name()), id -> {
            Row created = store.row(id);
            Entry.Created entry = store.reader().created(created);
            ctx.response().putHeader("Location", TutumView.BASE + entry.data().uuid() + "/");
            ok(ctx, 201, detail(created, entry));
        });
    }

    /** The action named by the path, if this caller may see it; 404 otherwise, never 403. */
    private ActionStore.Found visible(RoutingContext ctx, Caller caller) {
        return visible(store, ctx, caller);
    }

    /** As {@link #visible(RoutingContext, Caller)}, for the other handlers of an action's path. */
    static ActionStore.Found visible(ActionStore store, RoutingContext ctx, Caller caller) {
        UUID uuid;
        try {
            uuid = UUID.fromString(ctx.pathParam("uuid"));
        } catch (IllegalArgumentException e) {
            throw HttpError.notFound();
        }
        ActionStore.Found found = store.find(uuid);
        if (found == null || !(caller.role().readsAll() || found.created().data().user().equals(caller.name()))) {
            throw HttpError.notFound();
        }
        return found;
    }

    /** Cancel and retry belong to the action's owner and to admins; others who can see it get 405. */
    private Row ownedOrAdmin(RoutingContext ctx, Caller caller) {
        ActionStore.Found found = visible(ctx, caller);
        // An auditor writes nothing, not even to actions recorded under its own name (a user later made an
        // auditor keeps the actions it had).
        boolean owner = caller.role().writes() && found.created().data().user().equals(caller.name());
        if (!caller.role().manages() && !owner) {
            throw Callers.notAllowed(ctx, caller);
        }
        return changeable(found);
    }

    /**
     * The server's own records (its credential changes, the backups and retention runs admins asked for: recorded
     * by {@code actionlog} or {@code cli}, names no credential can have) are finished by the server alone: a client
     * that could move, cancel, retry or add logs to them could make them say something else.
     */
    private static Row changeable(ActionStore.Found found) {
        String by = found.created().data().recordedBy();
        if (by.equals(CredentialChange.SERVER) || by.equals(CredentialChange.CLI)) {
            throw HttpError.conflict("action " + found.created().data().uuid() + " is the server's own record "
                    + "(recorded_by " + by + "): it is not changed through the API");
        }
        return found.row();
    }

    private void sendAction(RoutingContext ctx, int status, Row row) {
        ok(ctx, status, detail(row, store.reader().created(row)));
    }

    /** The detail view: the end of the logs only, so that neither a read nor a write's reply costs all logs. */
    private Buffer detail(Row row, Entry.Created created) {
        ActionReader.Detail d = store.reader().detail(row, created, detailLogBytes);
        return TutumView.detail(d.action(), d.logs()).toBuffer();
    }

    /**
     * Reads the JSON body with {@code read}, then goes on with {@code then}: on the event loop for a small body, the
     * usual case, else on a worker, so that no body holds the event loop (1 MiB of 131,000 names takes tens of
     * milliseconds to read).
     */
    private static <T> void withBody(RoutingContext ctx, Function<Members, T> read, Consumer<T> then) {
        byte[] body = Json.bytes(ctx);
        if (body.length <= Json.INLINE_BYTES) {
            then.accept(read.apply(Json.members(body, 0, body.length)));
            return;
        }
        Replies.after(ctx, ctx.vertx().executeBlocking(() -> read.apply(Json.members(body, 0, body.length)), false)
                .toCompletionStage(), then);
    }

    /**
     * The answer to a read, counted against {@link SendBudget} (a 503 when it is spent). The answer to a write is
     * never refused after the write: a client would retry it.
     */
    private void read(RoutingContext ctx, Buffer body) {
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        sends.end(ctx, body);
    }

    static void ok(RoutingContext ctx, int status, Buffer body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
