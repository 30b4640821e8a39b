package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsTest {
    /** The project's own series: each is described by a HELP line. */
    private static final List<String> OWN_SERIES = List.of("actionlog_http_requests_total",
            "actionlog_http_request_duration_seconds", "actionlog_http_connections_open",
            "actionlog_http_connections_refused_total", "actionlog_http_connections_timed_out_total",
            "actionlog_index_actions", "actionlog_index_heap_bytes", "actionlog_journal_bytes",
            "actionlog_replay_seconds", "actionlog_writer_queue", "actionlog_jvm_heap_used_bytes",
            "actionlog_streams_open", "actionlog_auth_failures_total", "actionlog_auth_blocked_addresses");

    @TempDir
    Path dir;

    /** The start's own writes (the bootstrap admin's creation, journaled) are in the first answer's journal_bytes. */
    @Test
    void theFirstHealthCountsWhatTheStartWrote(@TempDir Path fresh) throws Exception {
        try (TestServer server = TestServer.start(fresh, Map.of("audit.credential_changes", "journal"))) {
            JsonObject health = server.withHeader(null).get("/health").json();
            assertTrue(health.getLong("journal_entries") > 0, health.encode());
            assertTrue(health.getLong("journal_bytes") > 0, health.encode());
        }
    }

    @Test
    void healthAndMetricsDescribeTheRunningServer() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", "one"));
            server.admin().get("/api/v1/action/");
            Client anonymous = server.withHeader(null);
            JsonObject health = anonymous.get("/health").json();
            assertEquals("UP", health.getString("status"));
            assertEquals(1, health.getInteger("actions"));
            // The data (with Chronicle's index), not the day file's size: 80 MiB are allocated ahead of a first
            // entry. Measured at most once a second, so the action just recorded may not count yet.
            long bytes = health.getLong("journal_bytes");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (bytes == 0 && System.nanoTime() < deadline) {
                bytes = anonymous.get("/health").json().getLong("journal_bytes");
            }
            assertTrue(bytes > 0 && bytes < 1 << 20, "journal_bytes " + bytes);
            assertTrue(Files.size(dir.resolve("journal").toFile().listFiles((d, n) -> n.endsWith(".cq4"))[0]
                    .toPath()) >= 64L << 20, "the day file is allocated ahead of its data");
            Client.Response metrics = anonymous.get("/metrics");
            assertEquals(200, metrics.status());
            assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
            String text = metrics.body();
            assertEquals(1, MetricsText.value(text,
                    "actionlog_http_requests_total{face=\"tutum\",method=\"POST\",status=\"201\"}"));
            assertEquals(1, MetricsText.value(text, "actionlog_index_actions"));
            assertEquals(2, MetricsText.value(text,
                    "actionlog_http_request_duration_seconds_bucket{face=\"tutum\",le=\"+Inf\"}"));
            assertTrue(MetricsText.value(text, "actionlog_journal_bytes") > 0, text);
            for (String name : OWN_SERIES) {
                assertTrue(text.contains("# HELP " + name + " "), "no HELP line for " + name + " in\n" + text);
            }
        }
    }

    /** Monitors and link checkers probe with HEAD: the GET answer's status and headers, no body. */
    @Test
    void theOperationsRoutesAnswerHead() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client anonymous = server.withHeader(null);
            for (String uri : List.of("/health", "/metrics", "/api/openapi.yaml", "/", "/viewer/app.js",
                    "/viewer/style.css")) {
                Client.Response get = anonymous.get(uri);
                Client.Response head = anonymous.send(HttpMethod.HEAD, uri, null, null);
                assertEquals(200, head.status(), uri);
                assertEquals(get.header("Content-Type"), head.header("Content-Type"), uri);
                assertEquals(get.header("Content-Security-Policy"), head.header("Content-Security-Policy"), uri);
                assertEquals("", head.body(), uri);
            }
        }
    }

    /** Measured again at most once a second, walking only the entries written since. */
    @Test
    void journalBytesGrowWithTheDataWritten() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client anonymous = server.withHeader(null);
            long before = anonymous.get("/health").json().getLong("journal_bytes");
            for (int i = 0; i < 50; i++) {
                server.admin().record(new JsonObject().put("action", "grow").put("body", "x".repeat(1000)));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            long after = before;
            while (after < before + 50_000 && System.nanoTime() < deadline) {
                after = anonymous.get("/health").json().getLong("journal_bytes");
            }
            assertTrue(after >= before + 50_000 && after < before + (1 << 20), before + " then " + after);
        }
    }
}
