package io.actionlog.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Tastypie clients often drop the final slash, and Django would answer them with a redirect that a client may not
 * follow for a POST. Tutum paths and the stream paths are answered as if the slash had been sent: the request is
 * routed once more with it, keeping its method, headers, body and query.
 */
final class TrailingSlash {
    private TrailingSlash() {
    }

    static void append(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!path.endsWith("/") && (path.startsWith("/api/v1/") || path.startsWith("/v1/"))) {
            String query = ctx.request().query();
            ctx.reroute(query == null ? path + "/" : path + "/?" + query);
            return;
        }
        ctx.next();
    }
}
