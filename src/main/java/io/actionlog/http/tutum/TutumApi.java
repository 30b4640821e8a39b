package io.actionlog.http.tutum;

import io.actionlog.action.Action;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.action.Redaction;
import io.actionlog.auth.Caller;
import io.actionlog.http.Callers;
import io.actionlog.http.HttpError;
import io.actionlog.http.Json;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.Page;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.store.ActionReader.Depth;
import io.actionlog.store.ActionStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Handlers of the Tutum Action API, one per route; the route table is in {@code Routes}. */
public final class TutumApi {
    private final ActionStore store;
    private final Function<String, String> locate;
    private final Redaction redaction;

    public TutumApi(ActionStore store, Function<String, String> locate, Redaction redaction) {
        this.store = store;
        this.locate = locate;
        this.redaction = redaction;
    }

    public void list(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        var query = ListParams.parse(ctx.queryParams(), caller);
        var uuids = ListParams.uuidFilter(ctx.queryParams());
        if (uuids.exact() != null || uuids.prefix() != null) {
            query.restrict = UuidMatches.resolve(store, uuids, query.restrict);
        }
        Page page = store.list(query.build());
        // The whole page is written by hand, its rows straight from their stored bytes.
        List<CreatedBytes> created = store.reader().recorded(page.rows());
        JsonBytes out = new JsonBytes(TutumView.pageCapacity(page.rows().size()));
        Envelope.write(out, ctx, page, query.offset, query.limit, g -> TutumView.rows(g, created, page.rows()));
        ok(ctx, 200, out.toBuffer());
    }

    public void detail(RoutingContext ctx) {
        ActionStore.Found found = visible(ctx, Callers.of(ctx));
        Action a = store.reader().read(found.row(), Depth.WITH_LOGS, found.created());
        ok(ctx, 200, TutumView.json(a, true).toBuffer());
    }

    public void record(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        NewAction action = ActionRequests.record(Json.members(ctx), caller.name(), Dates.now(), locate, redaction);
        after(ctx, store.record(action), recorded -> {
            if (recorded.created()) {
                ctx.response().putHeader("Location", TutumView.BASE + action.uuid() + "/");
            }
            // The writer hands back the Created entry; only later changes, if any came in between, are read.
            Action a = store.reader().read(store.row(recorded.id()), Depth.WITH_LOGS, recorded.entry());
            ok(ctx, recorded.created() ? 201 : 200, TutumView.json(a, true).toBuffer());
        });
    }

    public void update(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        Row row = visible(ctx, caller).row();
        var change = ActionRequests.change(Json.members(ctx));
        after(ctx, store.change(row.id(), change), id -> sendAction(ctx, 200, store.row(id)));
    }

    public void appendLogs(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        Row row = visible(ctx, caller).row();
        String text = Json.text(ctx);
        if (text.length() > io.actionlog.action.ActionField.LOGS.limit()) {
            throw new HttpError(413, "body: a log append is at most " + io.actionlog.action.ActionField.LOGS.limit() + " characters");
        }
        after(ctx, store.appendLogs(row.id(), text), id -> ok(ctx, 200,
                TutumView.json(store.read(store.row(id), Depth.RECORDED), false).toBuffer()));
    }

    public void cancel(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Row row = ownedOrAdmin(ctx, caller);
        after(ctx, store.cancel(row.id()), id -> sendAction(ctx, 200, store.row(id)));
    }

    public void retry(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Row row = ownedOrAdmin(ctx, caller);
        after(ctx, store.retry(row.id(), caller.name()), id -> {
            Row created = store.row(id);
            Action a = store.read(created, Depth.WITH_LOGS);
            ctx.response().putHeader("Location", TutumView.resourceUri(a));
            ok(ctx, 201, TutumView.json(a, true).toBuffer());
        });
    }

    /** The action named by the path, if this caller may see it; 404 otherwise, never 403. */
    private ActionStore.Found visible(RoutingContext ctx, Caller caller) {
        UUID uuid;
        try {
            uuid = UUID.fromString(ctx.pathParam("uuid"));
        } catch (IllegalArgumentException e) {
            throw HttpError.notFound();
        }
        ActionStore.Found found = store.find(uuid);
        if (found == null || !(caller.role().readsAll() || found.created().user().equals(caller.name()))) {
            throw HttpError.notFound();
        }
        return found;
    }

    /** Cancel and retry belong to the action's owner and to admins; others who can see it get 405. */
    private Row ownedOrAdmin(RoutingContext ctx, Caller caller) {
        ActionStore.Found found = visible(ctx, caller);
        if (!caller.role().manages() && !found.created().user().equals(caller.name())) {
            throw Callers.notAllowed(ctx, caller);
        }
        return found.row();
    }

    private void sendAction(RoutingContext ctx, int status, Row row) {
        Action a = store.read(row, Depth.WITH_LOGS);
        ok(ctx, status, TutumView.json(a, true).toBuffer());
    }

    private static <T> void after(RoutingContext ctx, CompletableFuture<T> write, java.util.function.Consumer<T> then) {
        Future.fromCompletionStage(write, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            try {
                then.accept(ar.result());
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }

    static void ok(RoutingContext ctx, int status, Buffer body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
