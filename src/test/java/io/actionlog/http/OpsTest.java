package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {
    @TempDir
    Path dir;

    @Test
    void healthAndMetricsDescribeTheRunningServer() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", "one"));
            server.admin().get("/api/v1/action/");
            Client anonymous = server.withHeader(null);
            JsonObject health = anonymous.get("/health").json();
            assertEquals("UP", health.getString("status"));
            assertEquals(1, health.getInteger("actions"));
            assertTrue(health.getLong("journal_bytes") > 0);
            Client.Response metrics = anonymous.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
            String text = metrics.body();
            assertTrue(text.contains("actionlog_http_requests_total{face=\"tutum\",method=\"POST\",status=\"201\"} 1"), text);
            assertTrue(text.contains("actionlog_index_actions 1"), text);
            assertTrue(text.contains("actionlog_http_request_duration_seconds_bucket{face=\"tutum\",le=\"+Inf\"} 2"), text);
            assertTrue(text.contains("actionlog_journal_bytes "), text);
        }
    }
}
