package io.actionlog.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log.format=json and log.access=true on a real server: every line a JSON object, no key or token in any. */
class ServerLogsTest {
    private static final String KEY = "server-logs-key-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void jsonLinesWithAnAccessLogThatNeverHoldsAKeyOrToken() throws Exception {
        ForkedServer server = ForkedServer.start(dir.resolve("data"), KEY,
                Map.of("log.format", "json", "log.access", "true"));
        String base = "http://127.0.0.1:" + server.port();
        HttpClient client = HttpClient.newHttpClient();
        send(client, HttpRequest.newBuilder(URI.create(base + "/api/v1/action/")).header("Authorization", "Token " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"Logged\"}")).build(), 201);
        send(client, HttpRequest.newBuilder(URI.create(base + "/api/v1/events/?user=admin&token=" + KEY
                + "&type=nothing")).build(), 400);
        send(client, HttpRequest.newBuilder(URI.create(base + "/api/v1/action/?to%6Ben=" + KEY)).build(), 401);
        String out = server.terminate().output();

        List<JsonObject> lines = out.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
        assertFalse(out.contains(KEY), out);
        assertTrue(lines.stream().anyMatch(l -> l.getString("message").contains("starting: http 127.0.0.1:0")), out);
        assertTrue(lines.stream().anyMatch(l -> l.getString("message").startsWith("actionlog stopped")), out);
        List<JsonObject> access = lines.stream().filter(l -> "io.actionlog.access".equals(l.getString("logger")))
                .toList();
        assertEquals(3, access.size(), out);
        JsonObject post = access.get(0);
        assertEquals("POST", post.getString("method"));
        assertEquals("/api/v1/action/", post.getString("path"));
        assertEquals(201, post.getInteger("status"));
        assertEquals("admin", post.getString("credential"));
        assertEquals("127.0.0.1", post.getString("client"));
        assertTrue(post.getLong("bytes") > 0, post.encode());
        assertTrue(access.get(1).getString("path").contains("token=***"), access.get(1).encode());
        assertTrue(access.get(2).getString("path").contains("to%6Ben=***"), access.get(2).encode());
        assertEquals("-", access.get(2).getString("credential"));
    }

    private static void send(HttpClient client, HttpRequest request, int expected) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
    }
}
