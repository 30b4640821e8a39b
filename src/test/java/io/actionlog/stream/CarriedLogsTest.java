package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unfinished action that retention carries forward keeps each log line's own time: the logs stream shows the
 * same frames, timestamps included, before the run, after it and after a restart that replays the carried copy.
 */
class CarriedLogsTest {
    @TempDir
    Path dir;

    @Test
    void logLinesKeepTheirTimestampsWhenTheirActionIsCarriedForward() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        try (TestServer server = s.server) {
            assertEquals(200, s.recorder.postText(RetentionScenario.uri(s.running) + "logs/", "step two\nstep three\n")
                    .status());
            List<JsonObject> before = tail(s);
            assertEquals(4, before.size(), before.toString());
            // The line given at creation has the action's start (long ago); the appended ones their own, later time.
            assertNotEquals(before.get(0).getLong("timestamp"), before.get(1).getLong("timestamp"), before.toString());

            JsonObject report = s.runRetention();
            assertEquals(2, report.getInteger("carried_forward"), report.encode());
            assertEquals(before, tail(s));
            s.restart();
            assertEquals(before, tail(s));
            assertEquals("started\nstep one\nstep two\nstep three\n",
                    s.server.admin().get(RetentionScenario.uri(s.running)).json().getString("logs"));
        }
    }

    private static List<JsonObject> tail(RetentionScenario s) {
        String uri = "/v1/action/" + s.running.getString("uuid") + "/logs/?follow=false";
        try (WsProbe p = WsProbe.open(s.server.port(), uri, "ApiKey ann:" + s.server.key("ann"))) {
            return p.untilClosed();
        }
    }
}
