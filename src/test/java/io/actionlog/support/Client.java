package io.actionlog.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;

/** A blocking HTTP client for tests, bound to one server and one Authorization header (or none). */
public final class Client {
    private final WebClient web;
    private final String authorization;

    Client(Vertx vertx, int port, String authorization) {
        this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                new PoolOptions().setHttp1MaxSize(16));
        this.authorization = authorization;
    }

    public record Response(int status, MultiMap headers, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public JsonArray array() {
            return new JsonArray(body);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    public Response get(String uri) {
        return send(HttpMethod.GET, uri, null, null);
    }

    public Response post(String uri, JsonObject body) {
        return send(HttpMethod.POST, uri, body == null ? null : body.encode(), "application/json");
    }

    public Response postText(String uri, String body) {
        return send(HttpMethod.POST, uri, body, "text/plain; charset=utf-8");
    }

    public Response patch(String uri, JsonObject body) {
        return send(HttpMethod.PATCH, uri, body.encode(), "application/json");
    }

    public Response send(HttpMethod method, String uri, String body, String contentType) {
        return sendBytes(method, uri, body == null ? null : Buffer.buffer(body), contentType);
    }

    public Response sendBytes(HttpMethod method, String uri, Buffer body, String contentType) {
        return sendBytes(method, uri, body, contentType, java.util.Map.of());
    }

    /** A request with extra headers (an Origin, a preflight's Access-Control-Request-Method, ...). */
    public Response send(HttpMethod method, String uri, java.util.Map<String, String> headers) {
        return sendBytes(method, uri, null, null, headers);
    }

    private Response sendBytes(HttpMethod method, String uri, Buffer body, String contentType,
                               java.util.Map<String, String> headers) {
        HttpRequest<Buffer> request = web.request(method, uri);
        headers.forEach(request::putHeader);
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        if (contentType != null) {
            request.putHeader("Content-Type", contentType);
        }
        try {
            HttpResponse<Buffer> r = (body == null ? request.send() : request.sendBuffer(body))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new Response(r.statusCode(), r.headers(), r.bodyAsString() == null ? "" : r.bodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + uri + " failed", e);
        }
    }

    /** Records an action and returns its JSON; fails the test unless the answer is 201. */
    public JsonObject record(JsonObject action) {
        Response r = post("/api/v1/action/", action);
        if (r.status() != 201) {
            throw new AssertionError("expected 201, got " + r.status() + ": " + r.body());
        }
        return r.json();
    }
}
