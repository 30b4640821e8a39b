package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a server under concurrent writes loses no acknowledged action, and it takes writes again after. */
class AbruptStopTest {
    private static final String KEY = TestServer.ADMIN_KEY;

    @TempDir
    Path dir;

    @Test
    void killDashNineLosesNoAcknowledgedAction() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int cycle = 0; cycle < 2; cycle++) {
            ForkedServer server = ForkedServer.start(dir, KEY);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(4);
            for (int w = 0; w < 4; w++) {
                writers.submit(() -> write(server.port(), running, acknowledged));
            }
            // Kill once writes are flowing (bounded wait), at a random moment after that.
            int before = acknowledged.size();
            for (int i = 0; i < 600 && acknowledged.size() < before + 50; i++) {
                Thread.sleep(50);
            }
            Thread.sleep(new java.util.Random().nextInt(300));
            server.kill();
            running.set(false);
            writers.shutdown();
            assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS));
        }
        ForkedServer server = ForkedServer.start(dir, KEY);
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (String uuid : acknowledged) {
                assertEquals(200, get(http, server.port(), "/api/v1/action/" + uuid + "/").statusCode(), uuid);
            }
            assertTrue(acknowledged.size() > 10, "the load produced acknowledged writes: " + acknowledged.size());
            assertEquals(201, post(http, server.port(), UUID.randomUUID().toString()).statusCode());
        } finally {
            server.close();
        }
    }

    private static void write(int port, AtomicBoolean running, Set<String> acknowledged) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (running.get()) {
            String uuid = UUID.randomUUID().toString();
            try {
                if (post(http, port, uuid).statusCode() == 201) {
                    acknowledged.add(uuid);
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private static HttpResponse<String> post(HttpClient http, int port, String uuid) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/action/"))
                .header("Authorization", "Token " + KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"crash\",\"uuid\":\"" + uuid + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Token " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    }
}
