package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamMetricsTest {
    private static final String WEBSOCKETS = "actionlog_streams_open{transport=\"websocket\"}";
    private static final String EVENT_SOURCES = "actionlog_streams_open{transport=\"sse\"}";

    @TempDir
    Path dir;

    @Test
    void openStreamsAreCountedUntilTheyClose() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String auth = "Token " + TestServer.ADMIN_KEY;
            WsProbe events = WsProbe.open(server.port(), "/v1/events/", auth);
            awaitValue(server, WEBSOCKETS, 1);
            SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/", Map.of("Authorization", auth));
            awaitValue(server, EVENT_SOURCES, 1);
            assertEquals(1, value(server, WEBSOCKETS));

            events.close();
            awaitValue(server, WEBSOCKETS, 0);
            sse.close();
            awaitValue(server, EVENT_SOURCES, 0);
        }
    }

    /** Waits, within the probes' bound, for the series to take the value. */
    private static void awaitValue(TestServer server, String series, double expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WsProbe.WAIT_SECONDS);
        while (value(server, series) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, value(server, series), series);
    }

    private static double value(TestServer server, String series) {
        return MetricsText.value(server.withHeader(null).get("/metrics").body(), series);
    }
}
