package io.actionlog.http.tutum;

import io.actionlog.auth.Caller;
import io.actionlog.auth.Role;
import io.actionlog.http.Callers;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.actionlog.http.Replies;
import io.actionlog.http.SendBudget;
import io.actionlog.integrity.ActionProof;
import io.actionlog.index.Row;
import io.actionlog.integrity.Checkpointer;
import io.actionlog.store.ActionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Tamper evidence over HTTP: the latest signed checkpoint and the verifier key (public, no credentials), an
 * action's inclusion proof (for whoever may read the action), and consistency proofs between two tree sizes
 * (auditors and admins). An answer proves at most {@link ActionProof#MAX_ENTRIES} entries, which take at most
 * {@code http.max_page_bytes} of JSON, each with O(log² n) tree hashes read.
 */
public final class IntegrityApi {
    private final ActionStore store;
    private final ActionProof proofs;
    private final Checkpointer checkpoints;
    private final SendBudget sends;
    /** What a proof page's entries may take ({@code http.max_page_bytes}): the room it reserves before it is read. */
    private final int maxPageBytes;

    public IntegrityApi(ActionStore store, ActionProof proofs, Checkpointer checkpoints, SendBudget sends,
                        int maxPageBytes) {
        this.store = store;
        this.proofs = proofs;
        this.checkpoints = checkpoints;
        this.sends = sends;
        this.maxPageBytes = maxPageBytes;
    }

    public void checkpoint(RoutingContext ctx) {
        text(ctx, checkpoints.latest().note());
    }

    public void key(RoutingContext ctx) {
        text(ctx, checkpoints.key().verifierKey() + "\n");
    }

    public void proof(RoutingContext ctx) {
        ActionStore.Found found = TutumApi.visible(store, ctx, Callers.of(ctx));
        String asked = single(ctx, "tree_size");
        Long size = asked == null ? null : number(asked, "tree_size", 1, Long.MAX_VALUE);
        String before = single(ctx, "before");
        long from = before == null ? -1 : number(before, "before", 0, Long.MAX_VALUE);
        Row row = found.row();
        UUID uuid = found.created().data().uuid();
        // Room for a whole page is reserved in the budget of unsent answers now, before any work (a 503 when there
        // is none), and settled to the page's real size once built: in a burst, later requests are refused at once
        // instead of queueing for the workers behind the pages that will be sent.
        SendBudget.Reservation room = sends.reserve(ctx, maxPageBytes);
        // On workers: the checkpoint log is read (and a fresh checkpoint may be waited for, holding no thread), then
        // a page reads up to a few thousand journal entries and is written as JSON.
        Vertx vertx = ctx.vertx();
        Future<SendBudget.Reservation> proof = vertx.executeBlocking(() -> refusals(() -> proofs.checkpointFor(row,
                        size)), false)
                .compose(c -> Future.fromCompletionStage(c, vertx.getOrCreateContext()))
                .compose(c -> vertx.executeBlocking(() -> room.settle(refusals(() -> proofs.page(c, row, uuid, from))
                        .toBuffer()), false))
                .onFailure(e -> room.cancel());
        Replies.after(ctx, proof.toCompletionStage(), answer -> {
            ctx.response().putHeader("Content-Type", "application/json");
            answer.end(ctx);
        });
    }

    /** A proof's refusal as the answer it gets. */
    private static <T> T refusals(Supplier<T> step) {
        try {
            return step.get();
        } catch (ActionProof.Refused e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> new HttpError(404, e.getMessage());
                case NOT_YET -> new HttpError(503, e.getMessage());
                case BAD_REQUEST -> HttpError.badRequest(e.getMessage());
            };
        }
    }

    public void consistency(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        if (caller.role() != Role.AUDITOR && caller.role() != Role.ADMIN) {
            // As for a backup: the contract's errors have no 403.
            throw Callers.notAllowed(ctx, caller);
        }
        long size = proofs.treeSize();
        long second = number(single(ctx, "second"), "second", 1, size);
        long first = number(single(ctx, "first"), "first", 1, second);
        json(ctx, proofs.consistency(first, second));
    }

    /**
     * The one value of a query parameter, or null. Read through the route's parsed query, so that a bad
     * percent-escape is the face's 400 for the query; a parameter given twice is a 400 too, not settled by one.
     */
    private static String single(RoutingContext ctx, String name) {
        List<String> values = QueryParams.all(ctx.queryParams(), name);
        if (values.size() > 1) {
            throw HttpError.badRequest(name + ": given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** ASCII digits only: {@link Long#parseLong} also takes a sign and the digits of other scripts. */
    private static long number(String text, String name, long min, long max) {
        if (text != null && !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        }
        throw HttpError.badRequest(name + ": expected a whole number from " + min + " to " + max
                + (text == null ? " (missing)" : ", got " + (text.length() > 40 ? text.substring(0, 40) + "…" : text)));
    }

    private static void text(RoutingContext ctx, String body) {
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    /** A consistency proof: at most a few kilobytes, and counted like any answer should it be more. */
    private void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json");
        sends.end(ctx, body.toBuffer());
    }
}
