package io.actionlog.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web viewer's static files (classpath {@code webroot/}), and the headers every one of its responses carries.
 * The viewer only calls the public API from its own origin, so its policy allows nothing else: scripts and styles
 * from this origin only (no inline script, no eval), requests to this origin only, never framed.
 */
public final class Viewer {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    /** The files are not fingerprinted: a browser revalidates them (Last-Modified) after five minutes. */
    private static final long MAX_AGE_SECONDS = 300;

    private Viewer() {
    }

    static StaticHandler files() {
        return StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(MAX_AGE_SECONDS)
                .setDirectoryListing(false).setIncludeHidden(false).setDefaultContentEncoding("UTF-8");
    }

    static void headers(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        if (ctx.request().method() == HttpMethod.HEAD) {
            // The static handler names the type only when it sends the file: a HEAD would come without one.
            String path = ctx.normalizedPath();
            String type = MimeMapping.mimeTypeForFilename(path.endsWith("/") ? "index.html" : path);
            if (type != null) {
                ctx.response().putHeader("Content-Type", type.startsWith("text/") ? type + ";charset=UTF-8" : type);
            }
        }
        ctx.next();
    }
}
