package io.actionlog.http;

import io.actionlog.http.tutum.BulkIngest;
import io.actionlog.http.tutum.IntegrityApi;
import io.actionlog.http.tutum.TutumApi;
import io.actionlog.http.waldur.WaldurApi;
import io.actionlog.stream.Streams;
import io.netty.handler.codec.DateFormatter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The table of contents of the HTTP server: every endpoint, in one place. */
public final class Routes {
    private Routes() {
    }

    /**
     * Every answer says when it was made (RFC 9110 §6.6.1): the web viewer pins its list to that moment, by the
     * server's clock when the browser's disagrees with it.
     */
    private static void date(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.DATE, DateFormatter.format(new Date())));
        ctx.next();
    }

    /**
     * A query with a bad percent-escape is the query's 400 before a stream reads it: the streams read their query
     * from the request itself (credentials come before the route's own parsing), which throws on such an escape.
     */
    private static void wellFormedQuery(RoutingContext ctx) {
        if (badEscape(ctx.request().query())) {
            ctx.fail(400);
        } else {
            ctx.next();
        }
    }

    /** The handlers behind the routes, one object per concern. */
    public record Handlers(Ops ops, Metrics metrics, TutumApi tutum, BulkIngest bulk, WaldurApi waldur,
                           AdminApi admin, Streams streams, ConnectionGuard connections, IntegrityApi integrity,
                           AccessLog access, ClusterHeaders cluster) {
    }

    public static Router build(Vertx vertx, int maxBodyBytes, AuthHandler auth, Handlers h, OutOfMemory outOfMemory) {
        Router router = Router.router(vertx);
        FailureHandler tutumFailure = new FailureHandler("error", "Basic realm=\"actionlog\"",
                "ApiKey realm=\"actionlog\"", (status, ctx) -> tutumMessage(status, ctx, maxBodyBytes), outOfMemory);
        FailureHandler waldurFailure = WaldurApi.failureHandler(outOfMemory);
        BodyHandler buffered = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        Handler<RoutingContext> body = ctx -> buffered.handle(Json.asSent(ctx));

        // Before anything counts or checks the request: a Tutum path without its final slash is routed again with it.
        router.route().handler(TrailingSlash::append);
        router.route().handler(h.access()::handle);
        router.route().handler(Routes::date);

        // Operations: no credentials. HEAD too, which monitors use to probe (RFC 9110: the GET answer, no body).
        router.route().handler(h.metrics()::track);
        router.get("/health").method(HttpMethod.HEAD).handler(h.ops()::health);
        router.get("/metrics").method(HttpMethod.HEAD).handler(h.metrics()::render);
        router.get("/api/openapi.yaml").method(HttpMethod.HEAD).handler(h.ops()::openapi);

        // Cluster mode: every answer of the APIs says which position of the shared log it reflects, and a request may
        // ask to wait (bounded) until this node has applied a position.
        router.route("/api/*").handler(h.cluster()::handle)
                .failureHandler(ctx -> faceOf(ctx, tutumFailure, waldurFailure).handle(ctx));
        router.route("/v1/*").handler(h.cluster()::handle).failureHandler(tutumFailure);

        // Live streams (spec §5). They authenticate by header or ?user=&token=, so the SSE route comes before
        // the header-only auth of /api/v1/*; the WebSockets report refusals as frames after the upgrade. Their own
        // pings and idle timeout govern their connections, not the HTTP timeouts.
        router.get("/v1/action/:uuid/logs/").handler(Routes::wellFormedQuery).handler(h.connections()::stream)
                .handler(h.streams()::logs).failureHandler(tutumFailure);
        router.get("/v1/events/").handler(Routes::wellFormedQuery).handler(h.connections()::stream)
                .handler(h.streams()::events).failureHandler(tutumFailure);
        router.get("/api/v1/events/").handler(Routes::wellFormedQuery).handler(h.connections()::stream)
                .handler(h.streams()::sse).failureHandler(tutumFailure);

        // OPTIONS on the Tutum face is answered as Tastypie answers it, before authentication: 200 with the
        // resource's methods, in Allow and as the body. The table is read once the routes below are in it.
        List<Map.Entry<Pattern, String>> allowed = new ArrayList<>();
        router.routeWithRegex(HttpMethod.OPTIONS, "/api/v1/.*").handler(ctx -> options(ctx, allowed))
                .failureHandler(tutumFailure);

        // Tamper evidence: the latest signed checkpoint and the key that checks it are public, so they come before
        // the auth of /api/v1/*.
        // Other methods get 405 here too, rather than the 401 of the auth below on a URL that needs no credentials.
        router.get("/api/v1/integrity/checkpoint/").method(HttpMethod.HEAD).handler(h.integrity()::checkpoint)
                .failureHandler(tutumFailure);
        router.get("/api/v1/integrity/key/").method(HttpMethod.HEAD).handler(h.integrity()::key)
                .failureHandler(tutumFailure);
        router.route("/api/v1/integrity/checkpoint/").handler(Routes::readOnly).failureHandler(tutumFailure);
        router.route("/api/v1/integrity/key/").handler(Routes::readOnly).failureHandler(tutumFailure);

        // Tutum Action API (spec §2). Body handlers sit first on the routes that read a body; bulk ingest streams
        // its body instead of buffering it.
        router.route("/api/v1/*").handler(auth).failureHandler(tutumFailure);
        router.get("/api/v1/action/").handler(h.tutum()::list);
        router.post("/api/v1/action/").handler(body).handler(h.tutum()::record);
        router.post("/api/v1/action/bulk/").handler(h.bulk()::handle);
        router.get("/api/v1/action/stats/").handler(h.tutum()::stats);
        router.get("/api/v1/action/export/").handler(h.tutum()::export);
        router.get("/api/v1/action/:uuid/").handler(h.tutum()::detail);
        router.patch("/api/v1/action/:uuid/").handler(body).handler(h.tutum()::update);
        router.get("/api/v1/action/:uuid/logs/").handler(h.tutum()::logs);
        router.post("/api/v1/action/:uuid/logs/").handler(body).handler(h.tutum()::appendLogs);
        router.post("/api/v1/action/:uuid/cancel/").handler(body).handler(h.tutum()::cancel);
        router.post("/api/v1/action/:uuid/retry/").handler(body).handler(h.tutum()::retry);
        router.get("/api/v1/admin/backup/").handler(h.admin()::backup);
        router.post("/api/v1/admin/retention/").handler(h.admin()::retention);
        router.get("/api/v1/action/:uuid/proof/").handler(h.integrity()::proof);
        router.get("/api/v1/integrity/consistency/").handler(h.integrity()::consistency);

        // Waldur User Action Executions API (spec §3). CORS first, so that a preflight is answered without
        // credentials; other methods get 405 only after authentication, from the router, when no route matches.
        router.route(WaldurApi.PREFIX + "*").handler(waldurCors())
                .handler(auth)
                .failureHandler(waldurFailure);
        router.routeWithRegex(HttpMethod.GET, WaldurApi.PREFIX + "/?").method(HttpMethod.HEAD)
                .handler(h.waldur()::list);
        // No named group: Vert.x would then decode the query strictly as it matched, and a Django list and detail
        // both keep a malformed escape as text.
        router.routeWithRegex(HttpMethod.GET, WaldurApi.PREFIX + "/[^/]+/?").method(HttpMethod.HEAD)
                .handler(h.waldur()::detail);

        // The web viewer: index.html at / and its scripts and styles under /viewer/, public files calling the API.
        StaticHandler viewer = Viewer.files();
        router.get("/").method(HttpMethod.HEAD).handler(Viewer::headers).handler(viewer);
        router.get("/viewer/*").method(HttpMethod.HEAD).handler(Viewer::headers).handler(viewer);

        router.errorHandler(400, ctx -> faceOf(ctx, tutumFailure, waldurFailure).forStatus(400).handle(ctx));
        router.errorHandler(404, ctx -> faceOf(ctx, tutumFailure, waldurFailure).forStatus(404).handle(ctx));
        allowed.addAll(allowedMethods(router));
        router.errorHandler(405, ctx -> {
            // RFC 9110: a 405 says which methods the resource has (the Waldur face names its own).
            String path = ctx.request().path();
            allowed.stream().filter(a -> a.getKey().matcher(path).matches()).findFirst()
                    .ifPresent(a -> ctx.response().headers().set("Allow", a.getValue()));
            faceOf(ctx, tutumFailure, waldurFailure).forStatus(405).handle(ctx);
        });
        // Whatever a route without a failure handler of its own throws, Errors included, still gets an answer.
        router.errorHandler(500, ctx -> faceOf(ctx, tutumFailure, waldurFailure).handle(ctx));
        return router;
    }

    /** Each route path of the table (a {@code :name} is one segment) with the methods its routes take. */
    private static List<Map.Entry<Pattern, String>> allowedMethods(Router router) {
        Map<String, Set<String>> byPath = new LinkedHashMap<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
                Set<String> methods = byPath.computeIfAbsent(route.getPath(), p -> new TreeSet<>());
                route.methods().forEach(m -> methods.add(m.name()));
            }
        }
        List<Map.Entry<Pattern, String>> allowed = new ArrayList<>();
        byPath.forEach((path, methods) -> allowed.add(Map.entry(
                Pattern.compile(Pattern.quote(path).replaceAll(":[A-Za-z_]+", "\\\\E[^/]+\\\\Q")),
                String.join(", ", methods))));
        return allowed;
    }

    private static void options(RoutingContext ctx, List<Map.Entry<Pattern, String>> allowed) {
        String path = ctx.request().path();
        String methods = allowed.stream().filter(a -> a.getKey().matcher(path).matches()).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (methods == null) {
            ctx.fail(404);
            return;
        }
        ctx.response().putHeader("Allow", methods).putHeader("Content-Type", "text/plain; charset=utf-8").end(methods);
    }

    private static void readOnly(RoutingContext ctx) {
        ctx.response().putHeader("Allow", "GET, HEAD");
        ctx.fail(405);
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

    private static String tutumMessage(int status, RoutingContext ctx, int maxBodyBytes) {
        return switch (status) {
            case 400 -> ctx.request().authority() == null ? "Host: missing or not a host name or address"
                    // A route with path parameters decodes the query as it matches, and fails it as a path would.
                    : ctx.failure() instanceof HttpException || badEscape(ctx.request().query())
                    ? "query: not a valid query string (bad percent-encoding)"
                    : "path: not a valid path (bad percent-encoding)";
            case 404 -> "Not found.";
            case 405 -> "Method " + ctx.request().method().name() + " not allowed.";
            case 413 -> "body: larger than " + maxBodyBytes + " bytes (http.max_body_bytes)";
            default -> "request failed";
        };
    }

    /** Whether {@code text} holds a '%' that two hex digits do not follow. */
    static boolean badEscape(String text) {
        if (text == null) {
            return false;
        }
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || !hex(text.charAt(i + 1)) || !hex(text.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
