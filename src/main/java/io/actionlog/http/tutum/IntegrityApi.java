package io.actionlog.http.tutum;

import io.actionlog.auth.Caller;
import io.actionlog.auth.Role;
import io.actionlog.http.Callers;
import io.actionlog.http.HttpError;
import io.actionlog.http.Replies;
import io.actionlog.integrity.ActionProof;
import io.actionlog.integrity.Checkpointer;
import io.actionlog.store.ActionStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Tamper evidence over HTTP: the latest signed checkpoint and the verifier key (public, no credentials), an
 * action's inclusion proof (for whoever may read the action), and consistency proofs between two tree sizes
 * (auditors and admins). An answer proves at most {@link ActionProof#MAX_ENTRIES} entries and
 * {@code http.max_page_bytes} of their leaves, each with O(log² n) tree hashes read.
 */
public final class IntegrityApi {
    private final ActionStore store;
    private final ActionProof proofs;
    private final Checkpointer checkpoints;

    public IntegrityApi(ActionStore store, ActionProof proofs, Checkpointer checkpoints) {
        this.store = store;
        this.proofs = proofs;
        this.checkpoints = checkpoints;
    }

    public void checkpoint(RoutingContext ctx) {
        text(ctx, checkpoints.latest().note());
    }

    public void key(RoutingContext ctx) {
        text(ctx, checkpoints.key().verifierKey() + "\n");
    }

    public void proof(RoutingContext ctx) {
        ActionStore.Found found = TutumApi.visible(store, ctx, Callers.of(ctx));
        String asked = ctx.request().getParam("tree_size");
        Long size = asked == null ? null : number(asked, "tree_size", 1, Long.MAX_VALUE);
        String before = ctx.request().getParam("before");
        long from = before == null ? -1 : number(before, "before", 0, Long.MAX_VALUE);
        // On a worker: a page reads up to a few thousand journal entries, and a signature may be made for it.
        Replies.after(ctx, ctx.vertx().executeBlocking(() -> {
            try {
                return proofs.inclusion(found.row(), found.created().data().uuid(), size, from);
            } catch (ActionProof.Refused e) {
                throw switch (e.kind()) {
                    case NOT_FOUND -> new HttpError(404, e.getMessage());
                    case NOT_YET -> new HttpError(503, e.getMessage());
                    case BAD_REQUEST -> HttpError.badRequest(e.getMessage());
                };
            }
        }, false).toCompletionStage(), proof -> json(ctx, proof));
    }

    public void consistency(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        if (caller.role() != Role.AUDITOR && caller.role() != Role.ADMIN) {
            throw new HttpError(403, "consistency proofs are for auditors and admins, not for a credential with role "
                    + caller.role().label());
        }
        long size = proofs.treeSize();
        long second = number(ctx.request().getParam("second"), "second", 1, size);
        long first = number(ctx.request().getParam("first"), "first", 1, second);
        json(ctx, proofs.consistency(first, second));
    }

    private static long number(String text, String name, long min, long max) {
        try {
            long n = Long.parseLong(text == null ? "" : text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw HttpError.badRequest(name + ": expected a whole number from " + min + " to " + max
                + (text == null ? " (missing)" : ", got " + text));
    }

    private static void text(RoutingContext ctx, String body) {
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.toBuffer());
    }
}
