package io.actionlog.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain blocking calls to a forked server as the admin, for tests that kill and restart it. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    public Http(int port) {
        this.port = port;
    }

    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        return send(method, path, json, java.util.Map.of());
    }

    /** As {@link #send(String, String, String)}, with extra request headers. */
    public HttpResponse<String> send(String method, String path, String json, java.util.Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Token " + TestServer.ADMIN_KEY).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, json);
    }
}
