package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client sends cannot add series to /metrics: every label comes from a closed set. */
class MetricLabelsTest {
    @TempDir
    Path dir;

    @Test
    void everNewMethodNamesAddNoSeries() throws Exception {
        try (TestServer server = TestServer.start(dir); RawHttp raw = new RawHttp(server.port())) {
            byte[] target = "/api/v1/action/".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 5; i++) {
                raw.exchange(method(i), target, Map.of(), null);
            }
            metrics(raw); // its own series, GET /metrics 200, exists from here on
            String before = metrics(raw);
            for (int i = 5; i < 3000; i++) {
                int status = raw.exchange(method(i), target, Map.of(), null).status();
                assertTrue(status >= 400 && status < 500, "status " + status);
            }
            String after = metrics(raw);
            assertEquals(series(before), series(after), after);
            assertTrue(after.length() < before.length() + 200, before.length() + " bytes, then " + after.length());
            assertTrue(after.contains("method=\"OTHER\""), after);
        }
    }

    @Test
    void standardMethodsKeepTheirOwnLabel() throws Exception {
        try (TestServer server = TestServer.start(dir); RawHttp raw = new RawHttp(server.port())) {
            raw.exchange("DELETE", "/api/v1/action/".getBytes(StandardCharsets.US_ASCII), Map.of(), null);
            String text = metrics(raw);
            assertTrue(text.contains("actionlog_http_requests_total{face=\"tutum\",method=\"DELETE\",status=\"401\"} 1"),
                    text);
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

    private static long series(String text) {
        return text.lines().filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }
}
