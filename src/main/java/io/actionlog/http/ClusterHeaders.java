package io.actionlog.http;

import io.actionlog.action.ActionException;
import io.actionlog.cluster.ClusterNode;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;

/**
 * Consistency across the nodes of a cluster. Every answer carries {@value ClusterNode#POSITION_HEADER}: how many
 * commands of the shared topic this node had applied when the headers went out, at least what the answer reflects
 * (a write's answer covers the write). A client that wrote or read on one node sends that number as
 * {@value ClusterNode#MIN_POSITION_HEADER} to another, which answers once it has applied as much, or 503 with
 * {@code Retry-After} after {@code kafka.read_wait_ms}. The wait holds no thread. On a single host the handler
 * passes every request on untouched.
 */
public final class ClusterHeaders {
    private final ClusterNode node;

    /** {@code node}: null on a single host. */
    public ClusterHeaders(ClusterNode node) {
        this.node = node;
    }

    public void handle(RoutingContext ctx) {
        if (node == null) {
            ctx.next();
            return;
        }
        ctx.addHeadersEndHandler(v -> ctx.response().putHeader(ClusterNode.POSITION_HEADER,
                Long.toString(node.position())));
        String wanted = ctx.request().getHeader(ClusterNode.MIN_POSITION_HEADER);
        if (wanted == null) {
            ctx.next();
            return;
        }
        long position;
        try {
            position = Long.parseLong(wanted.trim());
        } catch (NumberFormatException e) {
            position = -1;
        }
        if (position < 0) {
            ctx.fail(ActionException.invalid(ClusterNode.MIN_POSITION_HEADER, "expected a whole number, not " + wanted));
            return;
        }
        waitFor(ctx, position);
    }

    private void waitFor(RoutingContext ctx, long position) {
        CompletableFuture<Void> reached = node.reached(position);
        if (reached.isDone() && !reached.isCompletedExceptionally()) {
            ctx.next();
            return;
        }
        long timer = ctx.vertx().setTimer(Math.max(1, node.readWaitMs()), id -> reached.completeExceptionally(
                new ActionException(ActionException.Kind.UNAVAILABLE, "this node has applied " + node.position()
                        + " commands, not yet " + position + ", after " + node.readWaitMs()
                        + " ms (kafka.read_wait_ms)")));
        var context = ctx.vertx().getOrCreateContext();
        reached.whenComplete((v, failure) -> context.runOnContext(x -> {
            ctx.vertx().cancelTimer(timer);
            if (failure != null) {
                ctx.fail(failure);
            } else {
                ctx.next();
            }
        }));
    }
}
