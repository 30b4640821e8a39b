package io.actionlog.http;

import io.actionlog.auth.Caller;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/** The authenticated caller of a request, put there by {@link AuthHandler}, and the role checks on it. */
public final class Callers {
    static final String KEY = "actionlog.caller";

    private Callers() {
    }

    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("route is missing the auth handler");
        }
        return caller;
    }

    /** Recording and updating actions is for recorders and admins. */
    public static void requireRecorder(RoutingContext ctx, Caller caller) {
        if (!caller.role().records()) {
            throw notAllowed(ctx, caller);
        }
    }

    /**
     * A role without the right to a call gets 405, as Tastypie answers a method a resource does not allow for
     * this client; the Allow header says what it may do instead: read, after a write; nothing, after a read (a
     * backup, a consistency proof), which RFC 9110 writes as an empty Allow.
     */
    public static HttpError notAllowed(RoutingContext ctx, Caller caller) {
        HttpMethod method = ctx.request().method();
        ctx.response().putHeader("Allow", method == HttpMethod.GET || method == HttpMethod.HEAD ? "" : "GET");
        return new HttpError(405, "Method " + ctx.request().method().name() + " not allowed for a credential with role "
                + caller.role().label());
    }
}
