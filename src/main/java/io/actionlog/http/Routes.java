package io.actionlog.http;

import io.actionlog.http.tutum.BulkIngest;
import io.actionlog.http.tutum.TutumApi;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;

/** The table of contents of the HTTP server: every endpoint, in one place. */
public final class Routes {
    private Routes() {
    }

    public static Router build(Vertx vertx, int maxBodyBytes, AuthHandler auth, Ops ops, Metrics metrics,
                               TutumApi tutum, BulkIngest bulk) {
        Router router = Router.router(vertx);
        FailureHandler tutumFailure = new FailureHandler("error", "Basic realm=\"actionlog\"", (status, ctx) -> tutumMessage(status, ctx, maxBodyBytes));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);

        router.route().handler(metrics::track);
        router.get("/health").handler(ops::health);
        router.get("/metrics").handler(metrics::render);

        router.route("/api/v1/*").handler(auth).failureHandler(tutumFailure);
        router.get("/api/v1/action/").handler(tutum::list);
        router.post("/api/v1/action/").handler(body).handler(tutum::record);
        router.post("/api/v1/action/bulk/").handler(bulk::handle);
        router.get("/api/v1/action/:uuid/").handler(tutum::detail);
        router.patch("/api/v1/action/:uuid/").handler(body).handler(tutum::update);
        router.post("/api/v1/action/:uuid/logs/").handler(body).handler(tutum::appendLogs);
        router.post("/api/v1/action/:uuid/cancel/").handler(body).handler(tutum::cancel);
        router.post("/api/v1/action/:uuid/retry/").handler(body).handler(tutum::retry);

        router.errorHandler(400, tutumFailure.forStatus(400));
        router.errorHandler(404, tutumFailure.forStatus(404));
        router.errorHandler(405, tutumFailure.forStatus(405));
        return router;
    }

    private static String tutumMessage(int status, RoutingContext ctx, int maxBodyBytes) {
        return switch (status) {
            case 400 -> ctx.failure() instanceof HttpException
                    ? "query: not a valid query string (bad percent-encoding)"
                    : "path: not a valid path (bad percent-encoding)";
            case 404 -> "Not found.";
            case 405 -> "Method " + ctx.request().method().name() + " not allowed.";
            case 413 -> "body: larger than " + maxBodyBytes + " bytes (http.max_body_bytes)";
            default -> "request failed";
        };
    }
}
