package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarding headers count only from a trusted proxy: the throttle counts the forwarded client there, Waldur's
 * links take the forwarded scheme and host; from any other peer the same headers change nothing.
 */
class TrustedProxiesTest {
    private static final String EXECUTIONS = "/api/user-action-executions/";

    @TempDir
    Path dir;

    private static int status(TestServer server, String authorization, Map<String, String> headers) {
        return server.withHeader(authorization).send(HttpMethod.GET, "/api/v1/action/", headers).status();
    }

    private static void failThrice(TestServer server, Map<String, String> headers) {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, status(server, "Token wrong-key-0123456789abcdef", headers));
        }
    }

    private static String goodKey() {
        return "Token " + TestServer.ADMIN_KEY;
    }

    @Test
    void spoofedHeadersFromAnUntrustedPeerChangeNothing() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "2"))) {
            failThrice(server, Map.of("X-Forwarded-For", "203.0.113.5", "Forwarded", "for=203.0.113.5"));
            // The peer, 127.0.0.1, is what was counted: another forwarded address does not get it out.
            assertEquals(429, status(server, goodKey(), Map.of("X-Forwarded-For", "198.51.100.9")));
        }
        try (TestServer server = TestServer.start(dir.resolve("other"), Map.of())) {
            recordTwo(server);
            Client.Response r = server.admin().send(HttpMethod.GET, EXECUTIONS + "?page_size=1",
                    Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example"));
            assertTrue(r.header("Link").startsWith("<http://127.0.0.1:" + server.port() + EXECUTIONS), r.header("Link"));
        }
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsCounted() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "2",
                "http.trusted_proxies", "127.0.0.1/32,10.0.0.0/8"))) {
            // The client wrote the left-most hop itself; the proxies appended the rest.
            failThrice(server, Map.of("X-Forwarded-For", "192.0.2.77, 203.0.113.5, 10.1.2.3"));
            assertEquals(429, status(server, goodKey(), Map.of("X-Forwarded-For", "203.0.113.5")));
            assertEquals(429, status(server, goodKey(), Map.of("Forwarded", "for=192.0.2.1, for=203.0.113.5")));
            assertEquals(200, status(server, goodKey(), Map.of("X-Forwarded-For", "203.0.113.5, 198.51.100.9")));
            assertEquals(200, status(server, goodKey(), Map.of("Forwarded", "for=\"[2001:db8::1]:4711\"")));
            assertEquals(200, status(server, goodKey(), Map.of()));
        }
    }

    @Test
    void behindATrustedProxyLinksTakeTheForwardedSchemeAndHost() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("http.trusted_proxies", "127.0.0.1"))) {
            recordTwo(server);
            Client.Response r = server.admin().send(HttpMethod.GET, EXECUTIONS + "?page_size=1",
                    Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "audit.example.org"));
            assertTrue(r.header("Link").startsWith("<https://audit.example.org" + EXECUTIONS), r.header("Link"));
            Client.Response bad = server.admin().send(HttpMethod.GET, EXECUTIONS + "?page_size=1",
                    Map.of("X-Forwarded-Proto", "gopher", "X-Forwarded-Host", "bad host/path"));
            assertTrue(bad.header("Link").startsWith("<http://127.0.0.1:" + server.port() + EXECUTIONS),
                    bad.header("Link"));
        }
    }

    @Test
    void theThrottleCanBeSwitchedOffOrExemptAnAddress() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "0"))) {
            failThrice(server, Map.of());
            assertEquals(200, status(server, goodKey(), Map.of()));
        }
        try (TestServer server = TestServer.start(dir.resolve("exempt"), Map.of("auth.max_failures", "2",
                "auth.throttle_exempt", "127.0.0.0/8"))) {
            failThrice(server, Map.of());
            assertEquals(200, status(server, goodKey(), Map.of()));
        }
    }

    private static void recordTwo(TestServer server) {
        for (int i = 0; i < 2; i++) {
            server.admin().record(new JsonObject().put("action", "Proxy " + i).put("object", "/api/v1/p/" + i + "/"));
        }
    }
}
