package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client sends cannot add series to /metrics: every label comes from a closed set. */
class MetricLabelsTest {
    @TempDir
    Path dir;

    @Test
    void everNewMethodNamesAddNoSeries() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("metrics.vertx_http", "true")); RawHttp raw = new RawHttp(server.port())) {
            byte[] target = "/api/v1/action/".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 5; i++) {
                raw.exchange(method(i), target, Map.of(), null);
            }
            metrics(raw); // its own series, GET /metrics 200, exist from here on
            Set<String> before = series(metrics(raw));
            for (int i = 5; i < 3000; i++) {
                int status = raw.exchange(method(i), target, Map.of(), null).status();
                assertTrue(status >= 400 && status < 500, "status " + status);
            }
            String after = metrics(raw);
            Set<String> added = new TreeSet<>(series(after));
            added.removeAll(before);
            assertTrue(added.isEmpty(), () -> added.size() + " new series, the first: "
                    + added.iterator().next().substring(0, 200));
            assertFalse(after.contains(method(2999).substring(0, 20)), "a method name became a label");
            assertTrue(after.contains("actionlog_http_requests_total{face=\"tutum\",method=\"OTHER\""), after);
            assertTrue(after.contains("vertx_http_server_requests_total{code=\"401\",method=\"OTHER\"}"), after);
        }
    }

    @Test
    void standardMethodsKeepTheirOwnLabel() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("metrics.vertx_http", "true")); RawHttp raw = new RawHttp(server.port())) {
            raw.exchange("DELETE", "/api/v1/action/".getBytes(StandardCharsets.US_ASCII), Map.of(), null);
            String text = metrics(raw);
            assertTrue(text.contains("actionlog_http_requests_total{face=\"tutum\",method=\"DELETE\",status=\"401\"} 1"),
                    text);
            assertTrue(text.contains("vertx_http_server_requests_total{code=\"401\",method=\"DELETE\"} 1"), text);
        }
    }

    /** A new name every time, 5,000 characters long (the request line's limit is 8 KiB). */
    private static String method(int i) {
        return ("X" + i + "-").repeat(5000).substring(0, 5000).toUpperCase();
    }

    private static String metrics(RawHttp raw) throws Exception {
        RawHttp.Response r = raw.exchange("GET", "/metrics".getBytes(StandardCharsets.US_ASCII), Map.of(), null);
        assertEquals(200, r.status());
        return r.text();
    }

    /**
     * Every series but the JVM's, by name and labels. The JVM's labels come from the JVM (a collector's name, the
     * cause of a pause), never from a client, and a new cause may appear while the test runs.
     */
    private static Set<String> series(String text) {
        return text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("jvm_"))
                .map(l -> l.substring(0, l.lastIndexOf(' '))).collect(Collectors.toCollection(TreeSet::new));
    }
}
