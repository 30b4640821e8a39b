package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guessing keys from one address is cut off with 429; good callers are not; keys never reach the log. */
class AuthAbuseTest {
    @TempDir
    Path dir;

    @Test
    void moreThanTheAllowedFailuresBlockTheAddressWithRetryAfter() throws Exception {
        AtomicLong now = new AtomicLong();
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "3", "auth.block_seconds", "2"),
                now::get)) {
            Client bad = server.withHeader("Token wrong-key-0000000000000000000000");
            for (int i = 0; i < 4; i++) {
                assertEquals(401, bad.get("/api/v1/action/").status(), "failure " + (i + 1));
            }
            Client.Response refused = bad.get("/api/v1/action/");
            assertEquals(429, refused.status(), refused.body());
            assertTrue(refused.json().getString("error").contains("too many failed authentications"));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
            assertEquals(429, server.admin().get("/api/v1/action/").status(),
                    "a blocked address is refused whatever it presents, or the block would confirm a right guess");
            now.addAndGet(TimeUnit.SECONDS.toNanos(retryAfter) - 1);
            assertEquals(429, server.admin().get("/api/v1/action/").status(), "blocked until Retry-After is over");
            now.addAndGet(1);
            assertEquals(200, server.admin().get("/api/v1/action/").status(), "the block ends");
        }
    }

    @Test
    void successesAndMissingCredentialsNeverCount() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "2"))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(200, server.admin().get("/api/v1/action/?limit=1").status());
                assertEquals(401, server.withHeader(null).get("/api/v1/action/").status());
            }
            assertEquals(200, server.admin().get("/api/v1/action/?limit=1").status());
        }
    }

    @Test
    void unknownSchemesAreNotProvidedAndNeverCountOnEitherFaceOrTheEventStream() throws Exception {
        String notProvided = "Authentication credentials were not provided.";
        List<String> headers = List.of("Foo", "Foo bar", "Bearer a b c", TestServer.ADMIN_KEY, "Negotiate  x");
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "5"))) {
            for (int i = 0; i < 30; i++) {
                Client c = server.withHeader(headers.get(i % headers.size()));
                Client.Response tutum = c.get("/api/v1/action/");
                assertEquals(401, tutum.status(), tutum.body());
                assertEquals(notProvided, tutum.json().getString("error"));
                Client.Response waldur = c.get("/api/user-action-executions/");
                assertEquals(401, waldur.status(), waldur.body());
                assertEquals(notProvided, waldur.json().getString("detail"));
                Client.Response sse = c.get("/api/v1/events/");
                assertEquals(401, sse.status(), sse.body());
                assertEquals(notProvided, sse.json().getString("error"));
            }
            assertEquals(200, server.admin().get("/api/v1/action/?limit=1").status(), "90 such requests block nobody");
            for (String ours : List.of("Token", "ApiKey", "basic")) {
                Client.Response r = server.withHeader(ours).get("/api/v1/action/");
                assertEquals("Invalid token.", r.json().getString("error"), ours + " with no key is malformed");
            }
        }
    }

    void presentedKeysNeverAppearInTheLog() throws Exception {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (lines) {
                    lines.add(r.getMessage() + " " + (r.getThrown() == null ? "" : r.getThrown().toString()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String secret = "Sup3rSecretGuess0123456789";
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "3"))) {
            List<String> headers = List.of("Token " + secret, "ApiKey admin:" + secret, "ApiKey nobody:" + secret,
                    "Basic " + Base64.getEncoder().encodeToString(("admin:" + secret).getBytes(StandardCharsets.UTF_8)),
                    "Bearer " + secret, "Token " + secret + " extra", "ApiKey " + secret);
            for (String h : headers) {
                server.withHeader(h).get("/api/v1/action/");
                server.withHeader(h).get("/api/v1/action/../" + secret);
            }
        } finally {
            root.removeHandler(capture);
        }
        synchronized (lines) {
            assertTrue(lines.stream().anyMatch(l -> l.contains("refused for")), "the block is logged: " + lines);
            lines.forEach(l -> assertFalse(l.contains(secret) || l.contains("U3VwM3JTZWNyZXRHdWVzc"), l));
        }
    }
}
