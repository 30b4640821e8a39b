package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
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

/**
 * The integrity routes' queries as a careless or hostile client writes them: a bad percent-escape is the query's
 * 400 (not a 500, not a complaint about the path); a number is ASCII digits, not a sign or another script's digits;
 * a parameter given twice is refused rather than settled by one of them. The public checkpoint and key answer
 * HEAD, and other methods get 405 with Allow, not the 401 of the credentialed routes.
 */
class IntegrityQueryAbuseTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client auditor;
    static String action;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        auditor = server.addUser("aud", Role.AUDITOR);
        action = server.admin().record(new JsonObject().put("action", "Create VM").put("user", "bob"))
                .getString("resource_uri");
        server.admin().record(new JsonObject().put("action", "Delete VM").put("user", "bob"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBadPercentEscapeIsTheQuerys400OnEveryIntegrityRoute() {
        for (String uri : new String[] {"/api/v1/integrity/consistency/?first=1&second=%ZZ",
            "/api/v1/integrity/consistency/?first=%ZZ&second=1", "/api/v1/integrity/consistency/?q=%ZZ&first=1&second=2",
            action + "proof/?tree_size=%ZZ", action + "proof/?before=%ZZ"}) {
            Client.Response r = auditor.get(uri);
            assertEquals(400, r.status(), uri + ": " + r.body());
            assertTrue(r.json().getString("error").startsWith("query:"), uri + ": " + r.body());
        }
    }

    @Test
    void numbersAreAsciiDigitsOnly() {
        // Arabic-Indic five, fullwidth five, a sign, a space, a decimal point: each a 400 naming its parameter.
        for (String five : new String[] {"%D9%A5", "%EF%BC%95", "%2B5", "-5", "5.0", "%205", "5%20", ""}) {
            Client.Response second = auditor.get("/api/v1/integrity/consistency/?first=1&second=" + five);
            assertEquals(400, second.status(), five + ": " + second.body());
            assertTrue(second.json().getString("error").startsWith("second:"), second.body());
            Client.Response size = auditor.get(action + "proof/?tree_size=" + five);
            assertEquals(400, size.status(), five + ": " + size.body());
            assertTrue(size.json().getString("error").startsWith("tree_size:"), size.body());
            Client.Response before = auditor.get(action + "proof/?before=" + five);
            assertEquals(400, before.status(), five + ": " + before.body());
            assertTrue(before.json().getString("error").startsWith("before:"), before.body());
        }
        assertEquals(200, auditor.get("/api/v1/integrity/consistency/?first=1&second=02").status(), "leading zeros");
        String longest = "9".repeat(5000);
        Client.Response huge = auditor.get("/api/v1/integrity/consistency/?first=1&second=" + longest);
        assertEquals(400, huge.status());
        assertTrue(huge.body().length() < 400, "the value is not echoed whole: " + huge.body().length());
    }

    @Test
    void aParameterGivenTwiceIsRefusedNamingIt() {
        Client.Response r = auditor.get("/api/v1/integrity/consistency/?first=1&second=2&second=1");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith("second:"), r.body());
        Client.Response size = auditor.get(action + "proof/?tree_size=2&tree_size=1");
        assertEquals(400, size.status(), size.body());
        assertTrue(size.json().getString("error").startsWith("tree_size:"), size.body());
    }

    /** Names are compared exactly, as on the rest of the face: {@code Second} is not {@code second}. */
    @Test
    void aNameInAnotherCaseIsNotTheParameter() {
        Client.Response r = auditor.get("/api/v1/integrity/consistency/?first=1&second=2&Second=1");
        assertEquals(200, r.status(), r.body());
        assertEquals(2, r.json().getInteger("second"));
        Client.Response missing = auditor.get("/api/v1/integrity/consistency/?FIRST=1&second=2");
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.json().getString("error").startsWith("first:"), missing.body());
    }

    @Test
    void thePublicCheckpointAndKeyAnswerHeadAndRefuseOtherMethodsWithAllow() {
        Client anyone = server.withHeader(null);
        for (String uri : new String[] {"/api/v1/integrity/checkpoint/", "/api/v1/integrity/key/"}) {
            Client.Response head = anyone.send(HttpMethod.HEAD, uri, Map.of());
            assertEquals(200, head.status(), uri);
            assertEquals("", head.body());
            // OPTIONS is answered as on every path of the Tutum face: 200 and the methods.
            Client.Response options = anyone.send(HttpMethod.OPTIONS, uri, Map.of());
            assertEquals(200, options.status(), uri);
            assertEquals("GET, HEAD", options.header("Allow"), uri);
            for (HttpMethod m : new HttpMethod[] {HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH}) {
                for (Client who : new Client[] {anyone, server.admin()}) {
                    Client.Response r = who.send(m, uri, Map.of());
                    assertEquals(405, r.status(), m + " " + uri + ": " + r.body());
                    assertEquals("GET, HEAD", r.header("Allow"), m + " " + uri);
                    assertEquals(null, r.header("WWW-Authenticate"), m + " " + uri);
                }
            }
        }
    }

    @Test
    void theRoutersOwn405SaysWhichMethodsTheResourceHas() {
        Client.Response proof = auditor.send(HttpMethod.DELETE, action + "proof/", Map.of());
        assertEquals(405, proof.status(), proof.body());
        assertEquals("GET", proof.header("Allow"));
        Client.Response detail = auditor.send(HttpMethod.PUT, action, Map.of());
        assertEquals(405, detail.status(), detail.body());
        assertEquals("GET, PATCH", detail.header("Allow"));
        Client.Response consistency = auditor.send(HttpMethod.POST, "/api/v1/integrity/consistency/", Map.of());
        assertEquals(405, consistency.status(), consistency.body());
        assertEquals("GET", consistency.header("Allow"));
    }
}
