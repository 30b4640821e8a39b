package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each retry copies the action's body into the journal, so retries of one action are bounded
 * (retry.max_per_action): beyond it a 429 naming the key, also after a restart, and without touching other actions.
 */
class RetryLimitTest {
    @TempDir
    Path dir;

    @Test
    void theRetryPastTheLimitIs429AndStaysSoAfterARestart() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("retry.max_per_action", "3"))) {
            Client pat = server.addUser("pat", Role.USER);
            JsonObject a = finished(server, "big");
            JsonObject b = finished(server, "other");
            for (int i = 0; i < 3; i++) {
                assertEquals(201, retry(pat, a).status(), "retry " + (i + 1));
            }
            assertRefused(retry(pat, a), a);
            assertRefused(retry(server.admin(), a), a);
            assertEquals(201, retry(pat, b).status(), "another action has its own count");

            server.restart();
            pat = server.as("pat");
            assertRefused(retry(pat, a), a);
            assertEquals(201, retry(pat, b).status(), "the count survived the restart: 2 of 3");
            assertEquals(201, retry(pat, b).status(), "3 of 3");
            assertRefused(retry(pat, b), b);
            long copies = server.admin().get("/api/v1/action/?user=pat&limit=0").json().getJsonArray("objects")
                    .stream().filter(o -> ((JsonObject) o).getString("retry_of") != null).count();
            assertEquals(6, copies, "nothing refused was written");
        }
    }

    @Test
    void concurrentRetriesStopExactlyAtTheLimit() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("retry.max_per_action", "3"))) {
            Client pat = server.addUser("pat", Role.USER);
            JsonObject a = finished(server, "raced");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    answers.add(pool.submit(() -> retry(pat, a).status()));
                }
                int created = 0;
                for (Future<Integer> f : answers) {
                    int status = f.get();
                    assertTrue(status == 201 || status == 429, "status " + status);
                    created += status == 201 ? 1 : 0;
                }
                assertEquals(3, created);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void zeroTurnsRetriesOff() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("retry.max_per_action", "0"))) {
            JsonObject a = finished(server, "never");
            assertRefused(retry(server.admin(), a), a);
        }
    }

    private static void assertRefused(Client.Response r, JsonObject action) {
        assertEquals(429, r.status(), r.body());
        String error = r.json().getString("error");
        assertTrue(error.contains("retry.max_per_action") && error.contains(action.getString("uuid")), error);
        assertNull(r.header("Retry-After"), "waiting does not help: the limit is per action, for good");
    }

    private static Client.Response retry(Client c, JsonObject action) {
        return c.post(action.getString("resource_uri") + "retry/", null);
    }

    private static JsonObject finished(TestServer server, String name) {
        return server.admin().record(new JsonObject().put("action", name).put("user", "pat").put("state", "Failed")
                .put("body", "x".repeat(1000)));
    }
}
