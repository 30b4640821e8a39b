package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.RetentionScenario;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention carries a running action forward by writing a copy of it, its appends included, before it drops the
 * day file that held them. A follower already open has those lines: the copies are no new lines.
 */
class CarriedLogsFollowerTest {
    @TempDir
    Path dir;

    @Test
    void aFollowerOpenWhileRetentionCarriesItsActionSeesEachLineOnce() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (var server = s.server) {
            String uri = RetentionScenario.uri(s.running);
            assertEquals(200, s.recorder.postText(uri + "logs/", "step two\n").status());
            try (WsProbe p = WsProbe.open(server.port(), "/v1/action/" + s.running.getString("uuid") + "/logs/?tail=100",
                    "ApiKey ann:" + server.key("ann"))) {
                assertEquals(List.of("started", "step one", "step two"),
                        List.of(p.next().getString("log"), p.next().getString("log"), p.next().getString("log")));
                JsonObject report = s.runRetention();
                assertEquals(2, report.getInteger("carried_forward"), report.encode());
                assertEquals(200, s.recorder.postText(uri + "logs/", "after\n").status());
                assertEquals(200, s.recorder.patch(uri, new JsonObject().put("state", "Success")).status());
                assertEquals(List.of("after"), LogStreamTest.lines(p.untilClosed()));
            }
            // A tail read from the carried copy gives every line once too.
            try (WsProbe p = WsProbe.open(server.port(), "/v1/action/" + s.running.getString("uuid") + "/logs/?tail=100",
                    "ApiKey ann:" + server.key("ann"))) {
                assertEquals(List.of("started", "step one", "step two", "after"), LogStreamTest.lines(p.untilClosed()));
            }
        }
    }
}
