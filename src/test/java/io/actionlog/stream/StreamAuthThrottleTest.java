package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Key guesses through a stream's query or header count against the same per-address limit as the REST routes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamAuthThrottleTest {
    @TempDir
    Path dir;

    @Test
    void guessingTokensOnStreamsBlocksTheAddressEverywhere() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "3", "auth.block_seconds", "60"))) {
            // Guesses at admin, whose key the server knows from its start.
            String goodToken = "?user=admin&token=" + TestServer.ADMIN_KEY;
            for (String uri : List.of("/v1/events/?user=admin&token=guess-000000000000000000",
                    "/v1/events/?token=guess-111111111111111111")) {
                try (WsProbe p = WsProbe.open(server.port(), uri, null)) {
                    assertEquals(List.of(LogStreamTest.error("UNAUTHORIZED")), p.untilClosed(), uri);
                }
            }
            assertEquals(401, sse(server.port(), "/api/v1/events/?user=admin&token=guess-2222222222222222"));
            try (WsProbe p = WsProbe.open(server.port(), "/v1/events/", "Token guess-333333333333333333")) {
                assertEquals(List.of(LogStreamTest.error("UNAUTHORIZED")), p.untilClosed(), "header guess");
            }

            assertEquals(429, WsProbe.refusedUpgrade(server.port(), "/v1/events/" + goodToken, null),
                    "the fifth try is refused before the upgrade, even with the right key");
            assertEquals(429, sse(server.port(), "/api/v1/events/" + goodToken));
            Client.Response rest = server.admin().get("/api/v1/action/");
            assertEquals(429, rest.status(), rest.body());
        }
    }

    @Test
    void connectingWithoutCredentialsOrInAnUnknownSchemeIsNotAGuess() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("auth.max_failures", "1"))) {
            for (String header : java.util.Arrays.asList(null, "Foo", "Foo bar", "Bearer x y", null, "Foo")) {
                try (WsProbe p = WsProbe.open(server.port(), "/v1/events/", header)) {
                    assertEquals(List.of(LogStreamTest.error("UNAUTHORIZED")), p.untilClosed());
                }
            }
            assertEquals(200, server.admin().get("/api/v1/action/").status());
        }
    }

    /** Status of an SSE request; the body is not read, since a stream that opened would never end. */
    private static int sse(int port, String uri) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + uri)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }
}
