package io.actionlog.http.waldur;

import static io.actionlog.http.waldur.Executions.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token authentication, the face's error shape, the router's own 404 and 405, and CORS. */
class WaldurAuthTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client pat;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        pat = Executions.tokenUser(server, "pat");
        server.admin().record(Executions.action("pat", "Build", "Success", 1_709_251_200L));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertDetail(Client.Response r, int status, String detail) {
        assertEquals(status, r.status(), r.body());
        assertEquals(new JsonObject().put("detail", detail).encode(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Token", "token", "TOKEN"})
    void theTokenSchemeIsCaseInsensitive(String scheme) {
        Client c = server.withHeader(scheme + " " + server.key("pat"));
        assertEquals(1, Executions.ids(c.get(BASE)).size());
    }

    @Test
    void noAuthorizationHeaderIs401WithATokenChallenge() {
        Client.Response r = server.withHeader(null).get(BASE);
        assertDetail(r, 401, "Authentication credentials were not provided.");
        assertEquals("Token", r.header("WWW-Authenticate"));
    }

    @Test
    void aScriptIsChallengedWithTheTokenSchemeToo() {
        Client.Response r = server.withHeader(null).send(HttpMethod.GET, BASE,
                java.util.Map.of("X-Requested-With", "XMLHttpRequest"));
        assertDetail(r, 401, "Authentication credentials were not provided.");
        assertEquals("Token", r.header("WWW-Authenticate"));
    }

    @Test
    void anEmptyAuthorizationHeaderCountsAsNoCredentials() {
        assertDetail(server.withHeader("").get(BASE), 401, "Authentication credentials were not provided.");
    }

    @Test
    void aThreePartTokenHeaderIsAnInvalidToken() {
        Client.Response r = server.withHeader("Token " + server.key("pat") + " extra").get(BASE);
        assertDetail(r, 401, "Invalid token.");
        assertEquals("Token", r.header("WWW-Authenticate"));
    }

    @Test
    void aTokenWithoutKeyIsAnInvalidToken() {
        assertDetail(server.withHeader("Token").get(BASE + "1/"), 401, "Invalid token.");
    }

    @Test
    void aWrongTokenIsAnInvalidToken() {
        assertDetail(server.withHeader("Token not-a-key").get(BASE), 401, "Invalid token.");
    }

    @Test
    void anotherMethodIs405OnlyAfterAuthentication() {
        Client.Response anonymous = server.withHeader(null).post(BASE, new JsonObject());
        assertDetail(anonymous, 401, "Authentication credentials were not provided.");
        assertDetail(pat.post(BASE, new JsonObject()), 405, "Method \"POST\" not allowed.");
        assertDetail(pat.send(HttpMethod.DELETE, BASE + "1/", null, null), 405, "Method \"DELETE\" not allowed.");
    }

    @Test
    void anUnknownPathUnderTheFaceIsANotFoundDetail() {
        assertDetail(pat.get(BASE + "1/logs/"), 404, "Not found.");
    }

    @Test
    void theTutumFaceKeepsItsOwnErrorShape() {
        Client.Response r = pat.get("/api/v1/nothing/");
        assertEquals(404, r.status());
        assertEquals(new JsonObject().put("error", "Not found.").encode(), r.body());
    }

    @Test
    void corsResponsesExposeThePagingHeaders() {
        Client.Response r = pat.send(HttpMethod.GET, BASE, Map.of("Origin", "https://waldur.example.org"));
        assertEquals(200, r.status());
        assertTrue(r.header("Access-Control-Allow-Origin") != null, r.headers().toString());
        String exposed = r.header("Access-Control-Expose-Headers");
        assertTrue(exposed.contains("Link") && exposed.contains("X-Result-Count"), exposed);
    }

    @Test
    void aCorsPreflightNeedsNoCredentials() {
        Client.Response r = server.withHeader(null).send(HttpMethod.OPTIONS, BASE, Map.of(
                "Origin", "https://waldur.example.org",
                "Access-Control-Request-Method", "GET",
                "Access-Control-Request-Headers", "Authorization"));
        assertTrue(r.status() == 200 || r.status() == 204, r.status() + " " + r.body());
        assertTrue(r.header("Access-Control-Allow-Methods").contains("GET"));
        assertTrue(r.header("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
    }
}
