package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming the events stream from a position retention dropped: it says so, then goes on from the oldest kept. */
class SseResumeAfterRetentionTest {
    @TempDir
    Path dir;

    @Test
    void aResumeFromADroppedPositionStartsAtTheOldestKeptAndSaysSoFirst() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (TestServer server = s.server) {
            long start = s.runRetention().getLong("journal_start");
            JsonObject after = s.recorder.record(new JsonObject().put("action", "After the drop"));
            Map<String, String> admin = Map.of("Authorization", "ApiKey admin:" + s.server.key("admin"));
            try (SseProbe p = SseProbe.open(s.server.port(), "/api/v1/events/?last_event_id=3", admin)) {
                assertEquals(200, p.status());
                SseProbe.Event first = p.next();
                assertEquals("dropped", first.data().getString("type"), first.data().encode());
                assertEquals(4, first.data().getLong("requested_from"));
                assertEquals(start, first.data().getLong("resumed_from"));
                assertEquals(start - 1, first.id());
                List<String> seen = new ArrayList<>();
                for (SseProbe.Event e = p.next(); ; e = p.next()) {
                    assertEquals("action", e.data().getString("type"), e.data().encode());
                    seen.add(e.data().getString("uuid"));
                    if (e.data().getString("uuid").equals(after.getString("uuid"))) {
                        break;
                    }
                }
                // History from the oldest kept position: the fresh action (its file was kept), then the new one;
                // neither an expired action nor a carried copy is an event.
                assertEquals(List.of(s.fresh.getString("uuid"), after.getString("uuid")), seen);
                assertFalse(seen.contains(s.oldUuids.get(0)));
            }
        }
    }
}
