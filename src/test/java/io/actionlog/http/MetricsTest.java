package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void jvmVertxAndDiskSeriesAreExposed() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("metrics.vertx_http", "true"))) {
            server.admin().record(new JsonObject().put("action", "one"));
            // Vert.x counts a request once its response is written, which may be just after the client has it.
            String text = Await.until(() -> server.withHeader(null).get("/metrics").body(),
                    t -> t.contains("vertx_http_server_requests_total{code=\"201\",method=\"POST\"}"), 10,
                    "the POST counted by Vert.x's meters");
            // One series per heap pool, named by the collector in use.
            assertTrue(text.lines().anyMatch(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\"")
                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0), text);
            assertTrue(MetricsText.value(text, "jvm_threads_live_threads") > 0, text);
            assertTrue(text.contains("# HELP jvm_gc_memory_allocated_bytes_total "), text);
            String disk = "disk_free_bytes{path=\"" + dir.toAbsolutePath() + "\"}";
            assertTrue(MetricsText.value(text, disk) > 0, text);
            assertEquals(1, MetricsText.value(text, "vertx_http_server_requests_total{code=\"201\",method=\"POST\"}"));
            assertTrue(MetricsText.value(text, "vertx_http_server_active_connections") >= 1, text);
        }
    }

    @Test
    void vertxHttpServerMetersAreOffUnlessAskedFor() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", "one"));
            String text = server.withHeader(null).get("/metrics").body();
            assertTrue(text.contains("actionlog_http_requests_total{face=\"tutum\",method=\"POST\",status=\"201\"}"),
                    text);
            assertTrue(text.lines().noneMatch(l -> l.startsWith("vertx_http_server_")), text);
        }
    }

    @Test
    void wrongCredentialsAreCountedAndTheBlockedAddressShows() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "2"))) {
            Client anonymous = server.withHeader(null);
            anonymous.get("/api/v1/action/"); // no credentials: not a failure
            Client wrong = server.withHeader("Token not-a-key-0123456789abcdef");
            for (int i = 0; i < 3; i++) {
                wrong.get("/api/v1/action/");
            }
            String text = anonymous.get("/metrics").body();
            assertEquals(3, MetricsText.value(text, "actionlog_auth_failures_total"), text);
            assertEquals(1, MetricsText.value(text, "actionlog_auth_blocked_addresses"), text);
        }
    }

    @Test
    void theTreeAndItsCheckpointsShow() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client anonymous = server.withHeader(null);
            String uri = null;
            for (int i = 0; i < 5; i++) {
                uri = server.admin().record(new JsonObject().put("action", "one " + i)).getString("resource_uri");
            }
            long before = System.currentTimeMillis();
            // A proof of the newest action needs a checkpoint that covers it: one is signed for it.
            assertEquals(200, server.admin().get(uri + "proof/").status());
            String text = anonymous.get("/metrics").body();
            long entries = anonymous.get("/health").json().getLong("journal_entries");
            assertEquals(entries, MetricsText.value(text, "actionlog_integrity_tree_leaves"), text);
            assertEquals(0, MetricsText.value(text, "actionlog_integrity_tree_behind"), text);
            assertEquals(entries, MetricsText.value(text, "actionlog_integrity_signed_leaves"), text);
            assertTrue(MetricsText.value(text, "actionlog_integrity_checkpoints_total") >= 2, "at start and for the "
                    + "proof: " + text);
            assertEquals(0, MetricsText.value(text, "actionlog_integrity_checkpoint_failures_total"), text);
            double signed = MetricsText.value(text, "actionlog_integrity_checkpoint_signed_timestamp_seconds");
            assertTrue(signed * 1000 >= before - 1000 && signed * 1000 <= System.currentTimeMillis() + 1000,
                    "signed at " + signed + ", asked at " + before);
        }
    }

    @Test
    void labelsOutsideTheClosedSetsAreFolded() {
        Metrics metrics = new Metrics();
        Counter c = metrics.registry().counter("vertx.test", "method", "BREW", "code", "1000");
        assertEquals("OTHER", c.getId().getTag("method"));
        assertEquals("other", c.getId().getTag("code"));
        Counter standard = metrics.registry().counter("vertx.test", "method", "PATCH", "code", "418");
        assertEquals("PATCH", standard.getId().getTag("method"));
        assertEquals("418", standard.getId().getTag("code"));
    }
}
