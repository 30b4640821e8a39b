package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 writers x 600 writes (records, moves and log appends) while readers list all the time: readers never see a
 * total go down or a listed action they cannot open, and afterwards a fresh replay gives the same answers. The
 * writes make about 1,300 actions: more than the largest page compared (1,000) and its offset (500) need.
 */
class ConcurrentWritersTest {
    private static final int WRITERS = 8;
    private static final int WRITES = 600;

    @TempDir
    Path dir;

    @Test
    void manyWritersAndReadersEndWithIndexEqualToAFreshReplay() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpClient http = HttpClient.newHttpClient();
            Set<String> recorded = ConcurrentHashMap.newKeySet();
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> writeMany(http, server.port(), writer, recorded)));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> readWhileWriting(http, server.port(), writing, reads)));
            }
            for (Future<?> f : writers) {
                f.get(5, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertTrue(reads.get() > 0);
            List<String> before = answers(http, server.port());
            JsonObject all = call(http, server.port(), "GET", "/api/v1/action/?order_by=id&limit=1", null);
            assertEquals(recorded.size(), all.getJsonObject("meta").getInteger("total_count"));
            server.restart();
            assertEquals(before, answers(http, server.port()));
        }
    }

    private static Void writeMany(HttpClient http, int port, int writer, Set<String> recorded) throws Exception {
        String last = null;
        for (int i = 0; i < WRITES; i++) {
            if (last == null || i % 4 == 0) {
                JsonObject a = call(http, port, "POST", "/api/v1/action/", new JsonObject().put("action", "w" + writer)
                        .put("object", "/o/" + (i % 7) + "/").put("state", i % 8 == 0 ? "Success" : "Pending"));
                recorded.add(a.getString("uuid"));
                last = a.getString("state").equals("Pending") ? a.getString("resource_uri") : null;
            } else if (i % 4 == 1) {
                call(http, port, "PATCH", last, new JsonObject().put("state", "In progress"));
            } else if (i % 4 == 2) {
                call(http, port, "POST", last + "logs/", "line " + i + "\n");
            } else {
                call(http, port, "PATCH", last, new JsonObject().put("state", i % 3 == 0 ? "Failed" : "Success"));
                last = null;
            }
        }
        return null;
    }

    private static Void readWhileWriting(HttpClient http, int port, AtomicBoolean writing, AtomicInteger reads)
            throws Exception {
        int lastTotal = 0;
        while (writing.get()) {
            JsonObject page = call(http, port, "GET", "/api/v1/action/?limit=20", null);
            int total = page.getJsonObject("meta").getInteger("total_count");
            assertTrue(total >= lastTotal, "total went from " + lastTotal + " to " + total);
            lastTotal = total;
            JsonArray objects = page.getJsonArray("objects");
            if (!objects.isEmpty()) {
                call(http, port, "GET", objects.getJsonObject(0).getString("resource_uri"), null);
            }
            reads.incrementAndGet();
        }
        return null;
    }

    private static List<String> answers(HttpClient http, int port) throws Exception {
        List<String> out = new ArrayList<>();
        for (String q : List.of("?limit=1000&order_by=id", "?state=Success&limit=1000", "?state=In%20progress",
                "?object=/o/3/&limit=1000", "?order_by=-end_date&limit=1000&offset=500")) {
            out.add(call(http, port, "GET", "/api/v1/action/" + q, null).encode());
        }
        return out;
    }

    private static JsonObject call(HttpClient http, int port, String method, String path, Object body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Token " + TestServer.ADMIN_KEY);
        if (body instanceof JsonObject json) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json.encode()));
        } else if (body instanceof String text) {
            b.header("Content-Type", "text/plain").method(method, HttpRequest.BodyPublishers.ofString(text));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }
}
