package io.actionlog.http;

import io.actionlog.auth.CredentialStore;
import io.actionlog.http.tutum.TutumApi;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The table of contents of the HTTP server: every endpoint, in one place. */
public final class Routes {
    private Routes() {
    }

    public static Router build(Vertx vertx, int maxBodyBytes, CredentialStore credentials, Ops ops, TutumApi tutum) {
        Router router = Router.router(vertx);
        FailureHandler tutumFailure = new FailureHandler("error", "Basic realm=\"actionlog\"", Routes::tutumMessage);

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

        router.errorHandler(404, ctx -> tutumFailure.handle(ctx));
        router.errorHandler(405, ctx -> tutumFailure.handle(ctx));
        return router;
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
