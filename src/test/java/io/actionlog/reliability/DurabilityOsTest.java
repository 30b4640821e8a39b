package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability os (each batch forced to the disk before its replies) starts, acknowledges, and everything survives a restart. */
class DurabilityOsTest {
    @TempDir
    Path dir;

    @Test
    void osModeAcknowledgesAndSurvivesARestart() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("journal.durability", "os"))) {
            assertTrue(server.admin().get("/health").body().contains("\"UP\""));
            Client rec = server.addUser("rec", Role.RECORDER);
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String uri = rec.record(new JsonObject().put("action", "os " + i)).getString("resource_uri");
                if (i % 2 == 0) {
                    assertEquals(200, rec.patch(uri, new JsonObject().put("state", "Success")).status());
                }
                uris.add(uri);
            }
            StringBuilder before = new StringBuilder();
            uris.forEach(u -> before.append(server.admin().get(u).body()));
            server.restart();
            StringBuilder after = new StringBuilder();
            uris.forEach(u -> after.append(server.admin().get(u).body()));
            assertEquals(before.toString(), after.toString());
            assertEquals(201, server.as("rec").post("/api/v1/action/", new JsonObject().put("action", "next")).status());
        }
    }
}
