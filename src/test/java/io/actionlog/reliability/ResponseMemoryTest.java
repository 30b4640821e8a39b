package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.ForkedServer;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What was recorded cannot make one response exhaust the server's memory: a list page is bounded by bytes as well
 * as rows (http.max_page_bytes) and next goes on from where it stopped; the Waldur face keeps its page sizes and
 * streams large pages. The last test runs the server with a heap that the old list and detail exhausted.
 */
class ResponseMemoryTest {
    private static final int MAX_PAGE_BYTES = 1 << 20;
    private static final int BODY_CHARS = 300_000;
    /** A generous bound for the envelope and every field of one action but its body. */
    private static final int SLACK = 4096;

    @TempDir
    Path dir;

    private static JsonObject large(String user, int i) {
        return new JsonObject().put("action", "Upload " + i).put("user", user).put("state", "Success")
                .put("body", ("large body " + i + " ").repeat(BODY_CHARS / 14));
    }

    @Test
    void aListPageIsBoundedByBytesAndNextVisitsEveryRowOnce() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("http.max_body_bytes", "2097152",
                "http.max_page_bytes", Integer.toString(MAX_PAGE_BYTES)))) {
            Client admin = server.admin();
            Client alice = server.addUser("alice", Role.USER);
            // A user retries a large action over and over (each retry finished by the recorder, so it can be
            // retried in turn), and small actions lie between the large ones.
            String uuid = admin.record(large("alice", 0)).getString("uuid");
            for (int i = 0; i < 8; i++) {
                Client.Response retried = alice.post("/api/v1/action/" + uuid + "/retry/", null);
                assertEquals(201, retried.status(), retried.body());
                uuid = retried.json().getString("uuid");
                admin.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success"));
                admin.record(large("alice", i + 1));
                admin.record(new JsonObject().put("action", "Small " + i).put("user", "alice"));
            }
            admin.record(large("bob", 99));

            Client.Response first = alice.get("/api/v1/action/?limit=0");
            assertEquals(200, first.status());
            assertTrue(first.body().length() <= MAX_PAGE_BYTES + BODY_CHARS + SLACK, first.body().length() + " bytes");
            JsonObject meta = first.json().getJsonObject("meta");
            int shown = first.json().getJsonArray("objects").size();
            assertEquals(1000, meta.getInteger("limit"));
            assertEquals(25, meta.getInteger("total_count"));
            assertTrue(shown < 25, "the page ended early at " + shown + " rows");
            assertTrue(meta.getString("next").contains("offset=" + shown), meta.getString("next"));

            Set<Long> ids = new HashSet<>();
            int rows = 0;
            for (Client.Response page = first; ; ) {
                assertEquals(200, page.status());
                assertTrue(page.body().length() <= MAX_PAGE_BYTES + BODY_CHARS + SLACK);
                JsonArray objects = page.json().getJsonArray("objects");
                assertTrue(objects.size() >= 1);
                for (int i = 0; i < objects.size(); i++) {
                    assertTrue(ids.add(objects.getJsonObject(i).getLong("id")), "a row came twice");
                    rows++;
                }
                String next = page.json().getJsonObject("meta").getString("next");
                if (next == null) {
                    break;
                }
                page = alice.get(next);
            }
            assertEquals(25, rows);
            assertEquals(25, ids.size());

            // The Waldur face keeps page_size: all 25 in one page, sent as it is read.
            Client.Response waldur = alice.get("/api/user-action-executions/?page_size=300");
            assertEquals(200, waldur.status());
            assertEquals(25, waldur.array().size());
            assertEquals("25", waldur.header("X-Result-Count"));
        }
    }

    @Test
    void largeBodiesAndLogsNoLongerExhaustASmallHeap() throws Exception {
        String key = "heap-test-admin-key-0123456789";
        try (ForkedServer server = ForkedServer.start(dir, key, Map.of("http.max_body_bytes", "2097152"),
                List.of("-Xmx80m"))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.port();
            String auth = "Token " + key;
            // 48 actions of 512 KiB bodies: the old list read them all and wrote one array, well past the heap. The
            // heap is 80 MiB since the tamper evidence and the viewer raised the idle server's own share (64 failed once).
            String body = "x".repeat(512 * 1024);
            for (int i = 0; i < 48; i++) {
                JsonObject a = new JsonObject().put("action", "Upload").put("user", "alice").put("body", body);
                assertEquals(201, send(http, base + "/api/v1/action/", auth, "POST", a.encode()).statusCode());
            }
            HttpResponse<String> list = send(http, base + "/api/v1/action/?limit=0", auth, "GET", null);
            assertEquals(200, list.statusCode(), list.body().substring(0, Math.min(200, list.body().length())));
            assertNotNull(new JsonObject(list.body()).getJsonObject("meta").getString("next"));

            // 48 appends of 512 KiB: the old detail built them into one string, then one JSON array.
            String uuid = new JsonObject(send(http, base + "/api/v1/action/", auth, "POST",
                    new JsonObject().put("action", "Long Job").put("state", "In progress").encode()).body())
                    .getString("uuid");
            String piece = "log line of a long job\n".repeat(512 * 1024 / 23);
            for (int i = 0; i < 48; i++) {
                assertEquals(200, send(http, base + "/api/v1/action/" + uuid + "/logs/", auth, "POST", piece)
                        .statusCode());
            }
            HttpResponse<String> detail = send(http, base + "/api/v1/action/" + uuid + "/", auth, "GET", null);
            assertEquals(200, detail.statusCode());
            assertTrue(new JsonObject(detail.body()).getBoolean("logs_truncated"));
            HttpResponse<String> patched = send(http, base + "/api/v1/action/" + uuid + "/", auth, "PATCH",
                    new JsonObject().put("state", "Success").encode());
            assertEquals(200, patched.statusCode());
            HttpResponse<String> logs = send(http, base + "/api/v1/action/" + uuid + "/logs/", auth, "GET", null);
            assertEquals(200, logs.statusCode());
            assertEquals(48L * piece.length(), logs.body().getBytes(StandardCharsets.UTF_8).length);
            assertTrue(!server.output().contains("out of memory"), server.output());
        }
    }

    private static HttpResponse<String> send(HttpClient http, String uri, String auth, String method, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Authorization", auth)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", method.equals("POST") && uri.endsWith("/logs/") ? "text/plain" : "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
