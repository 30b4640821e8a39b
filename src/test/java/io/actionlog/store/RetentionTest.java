package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on a real server: expiry by age of history loaded today, carry-forward of what stays, the drop of the
 * old day file, and what every read then shows (see {@link RetentionScenario} for the two days recorded).
 */
class RetentionTest {
    private static final String LIST = "/api/v1/action/";

    @TempDir
    Path dir;

    @Test
    void backfilledHistoryPastItsDaysExpiresFromEveryReadAndItsFileIsDropped() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (TestServer server = s.server) {
            String gone = s.oldUuids.get(7);
            long goneId = 8;
            Client admin = s.server.admin();
            assertEquals(gone, admin.get(LIST + gone + "/").json().getString("uuid"));
            assertEquals(200, s.server.as("ann").get(RetentionScenario.EXECUTIONS + goneId + "/").status());
            String[] before = files(dir);

            JsonObject report = s.runRetention();
            assertEquals(RetentionScenario.OLD, report.getLong("expired"), report.encode());
            assertEquals(2, report.getInteger("carried_forward"), report.encode());
            JsonObject dropped = report.getJsonObject("dropped");
            assertEquals(1, dropped.getJsonArray("files").size(), report.encode());
            assertTrue(dropped.getLong("bytes") > 0, report.encode());
            assertEquals(0, dropped.getLong("from_position"));
            assertTrue(dropped.getLong("to_position") > RetentionScenario.OLD, report.encode());
            assertEquals("days=30", report.getString("policy"));
            assertFalse(Files.exists(dir.resolve("journal").resolve(dropped.getJsonArray("files").getString(0))));
            assertEquals(before.length - 1, files(dir).length);

            assertEquals(404, admin.get(LIST + gone + "/").status());
            Client ann = s.server.as("ann");
            assertEquals(404, ann.get(RetentionScenario.EXECUTIONS + goneId + "/").status());
            assertEquals(404, admin.get(LIST + gone + "/proof/").status());
            assertEquals(3, total(admin, LIST + "?limit=100"));
            assertEquals(1, total(admin, LIST + "?object=/old/"), "only the running one is left of /old/");
            assertEquals(0, total(admin, LIST + "?state=Success"));
            assertEquals("1", ann.get(RetentionScenario.EXECUTIONS).header("X-Result-Count"), "ann's running one");
            String export = admin.get(LIST + "export/?format=ndjson").body();
            assertEquals(3, export.lines().count(), export);
            assertFalse(export.contains(gone));
        }
    }

    @Test
    void anUnfinishedActionNeverExpiresHoweverOldAndIsCarriedForwardUnchanged() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (TestServer server = s.server) {
            String running = s.faces(s.running);
            String recent = s.faces(s.recent);
            s.runRetention();
            assertEquals(running, s.faces(s.running));
            assertEquals(recent, s.faces(s.recent));
            JsonObject detail = s.server.admin().get(RetentionScenario.uri(s.running)).json();
            assertEquals("In progress", detail.getString("state"));
            assertEquals("started\nstep one\n", detail.getString("logs"));

            s.restart();
            assertEquals(running, s.faces(s.running));
            assertEquals(recent, s.faces(s.recent));
            // The carried action goes on as before: its logs and state move on.
            assertEquals(200, s.recorder.postText(RetentionScenario.uri(s.running) + "logs/", "step two\n").status());
            assertEquals(200, s.recorder.patch(RetentionScenario.uri(s.running),
                    new JsonObject().put("state", "Success")).status());
            s.restart();
            detail = s.server.admin().get(RetentionScenario.uri(s.running)).json();
            assertEquals("Success", detail.getString("state"));
            assertEquals("started\nstep one\nstep two\n", detail.getString("logs"));
        }
    }

    @Test
    void idsAreNotGivenAgainOnceTheFilesHoldingTheHighestAreDropped() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (TestServer server = s.server) {
            long highest = s.fresh.getLong("id");
            s.runRetention();
            s.restart();
            assertEquals(highest + 1, s.recorder.record(new JsonObject().put("action", "After")).getLong("id"));
            // An expired uuid recorded again is a new action with a new id.
            JsonObject again = s.recorder.record(new JsonObject().put("uuid", s.oldUuids.get(0)).put("action", "Again"));
            assertEquals(highest + 2, again.getLong("id"));
            assertEquals(4 + 1, total(s.server.admin(), LIST));
        }
    }

    @Test
    void theRouteIsForAdminsAndAnswersNothingDoneWhenRetentionIsOff() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of("retention.days", "0"));
        try (TestServer server = s.server) {
            Client auditor = s.server.addUser("aud", Role.AUDITOR);
            assertEquals(405, auditor.post("/api/v1/admin/retention/", new JsonObject()).status());
            assertEquals(405, s.recorder.post("/api/v1/admin/retention/", new JsonObject()).status());
            assertEquals(401, s.server.withHeader("ApiKey admin:wrong").post("/api/v1/admin/retention/",
                    new JsonObject()).status());
            JsonObject report = s.runRetention();
            assertEquals("off", report.getString("policy"));
            assertEquals(0, report.getLong("expired"));
            assertEquals(RetentionScenario.OLD + 3, total(s.server.admin(), LIST));
        }
    }

    static long total(Client c, String uri) {
        Client.Response r = c.get(uri);
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonObject("meta").getLong("total_count");
    }

    static String[] files(Path dataDir) throws Exception {
        try (Stream<Path> f = Files.list(dataDir.resolve("journal"))) {
            return f.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted()
                    .toArray(String[]::new);
        }
    }
}
