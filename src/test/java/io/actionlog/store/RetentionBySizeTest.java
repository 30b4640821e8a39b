package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.DayClock;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code retention.max_journal_bytes}: a journal over the limit loses its oldest finished actions, with a warning. */
class RetentionBySizeTest {
    private static final int FINISHED = 6000;

    @TempDir
    Path dir;

    @Test
    void aJournalOverItsLimitExpiresTheOldestFinishedActionsAndWarns() throws Exception {
        DayClock clock = new DayClock(3);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(Retention.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try (TestServer server = TestServer.start(dir, Map.of("retention.max_journal_bytes", "1048576"), clock)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            String body = "x".repeat(300);
            for (int batch = 0; batch < FINISHED / 1000; batch++) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    lines.append(new JsonObject().put("action", "Done " + batch + "-" + i).put("state", "Success")
                            .put("body", body).encode()).append('\n');
                }
                assertEquals(200, rec.send(HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                        "application/x-ndjson").status());
            }
            JsonObject open = rec.record(new JsonObject().put("action", "Open").put("body", body));
            clock.nextDay();
            rec.record(new JsonObject().put("action", "Tomorrow"));

            Client.Response r = server.admin().post("/api/v1/admin/retention/", new JsonObject());
            assertEquals(200, r.status(), r.body());
            JsonObject report = r.json();
            assertEquals("max_journal_bytes=1048576", report.getString("policy"));
            assertEquals(FINISHED, report.getLong("expired"), report.encode());
            assertEquals(1, report.getInteger("carried_forward"));
            assertEquals(1, report.getJsonObject("dropped").getJsonArray("files").size());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("more than retention.max_journal_bytes 1048576")),
                    warnings.toString());
            assertEquals(2, RetentionTest.total(server.admin(), "/api/v1/action/"));
            assertEquals(200, server.admin().get("/api/v1/action/" + open.getString("uuid") + "/").status());

            // Within the limit now: the next run has nothing to do.
            JsonObject again = server.admin().post("/api/v1/admin/retention/", new JsonObject()).json();
            assertEquals(0, again.getLong("expired"), again.encode());
        } finally {
            log.removeHandler(handler);
        }
    }
}
