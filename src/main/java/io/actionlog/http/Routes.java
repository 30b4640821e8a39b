package io.actionlog.http;

import io.actionlog.auth.CredentialStore;
import io.actionlog.http.tutum.TutumApi;
import io.actionlog.http.waldur.WaldurApi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;

/** The table of contents of the HTTP server: every endpoint, in one place. */
public final class Routes {
    private Routes() {
    }

    public static Router build(Vertx vertx, int maxBodyBytes, CredentialStore credentials, Ops ops, TutumApi tutum,
                               WaldurApi waldur) {
        Router router = Router.router(vertx);
        FailureHandler tutumFailure = new FailureHandler("error", "Basic realm=\"actionlog\"", Routes::tutumMessage);
        FailureHandler waldurFailure = WaldurApi.failureHandler();

        router.get("/health").handler(ops::health);

        // Vert.x 5 insists on body handlers before user handlers in one route; bodies are bounded either way.
        router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(new AuthHandler(credentials))
                .failureHandler(tutumFailure);
        router.get("/api/v1/action/").handler(tutum::list);
        router.post("/api/v1/action/").handler(tutum::record);
        router.get("/api/v1/action/:uuid/").handler(tutum::detail);
        router.patch("/api/v1/action/:uuid/").handler(tutum::update);
        router.post("/api/v1/action/:uuid/logs/").handler(tutum::appendLogs);
        router.post("/api/v1/action/:uuid/cancel/").handler(tutum::cancel);
        router.post("/api/v1/action/:uuid/retry/").handler(tutum::retry);

        // Waldur's User Action Executions API (spec section 3). CORS first, so that a preflight is answered without credentials; the 405 of other methods comes only
        // after authentication, from the router, once no route below matches the method.
        router.route(WaldurApi.PREFIX + "*").handler(waldurCors())
                .handler(new AuthHandler(credentials))
                .failureHandler(waldurFailure);
        router.routeWithRegex(HttpMethod.GET, WaldurApi.PREFIX + "/?").method(HttpMethod.HEAD).handler(waldur::list);
        router.routeWithRegex(HttpMethod.GET, WaldurApi.PREFIX + "/(?<id>[^/]+)/?").method(HttpMethod.HEAD)
                .handler(waldur::detail);

        router.errorHandler(404, ctx -> faceOf(ctx, tutumFailure, waldurFailure).handle(ctx));
        router.errorHandler(405, ctx -> faceOf(ctx, tutumFailure, waldurFailure).handle(ctx));
        return router;
    }

    /** The router's own 404 and 405 speak the language of the face whose path was asked for. */
    private static FailureHandler faceOf(RoutingContext ctx, FailureHandler tutum, FailureHandler waldur) {
        return ctx.request().path().startsWith(WaldurApi.PREFIX) ? waldur : tutum;
    }

    /** Browser clients of Waldur read the paging headers, so they must be exposed to scripts. */
    private static CorsHandler waldurCors() {
        return CorsHandler.create()
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Authorization", "Content-Type"))
                .exposedHeaders(Set.of("Link", "X-Result-Count"));
    }

    private static String tutumMessage(int status, RoutingContext ctx) {
        return switch (status) {
            case 404 -> "Not found.";
            case 405 -> "Method " + ctx.request().method().name() + " not allowed.";
            case 413 -> "request body is too large";
            default -> "request failed";
        };
    }
}
