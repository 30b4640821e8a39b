package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthAndRolesTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;
    static Client auditor;
    static Client ann;
    static String annsAction;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        auditor = server.addUser("aud", Role.AUDITOR);
        ann = server.addUser("ann", Role.USER);
        annsAction = recorder.record(new JsonObject().put("action", "A").put("user", "ann").put("state", "Failed"))
                .getString("resource_uri");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyAuthorizationFormIsAccepted() {
        String key = server.key("ann");
        String basic = Base64.getEncoder().encodeToString(("ann:" + key).getBytes(StandardCharsets.UTF_8));
        for (String header : new String[] {"ApiKey ann:" + key, "apikey ann:" + key, "Basic " + basic,
                "BASIC " + basic, "Token " + key, "token " + key, "TOKEN " + key}) {
            assertEquals(200, server.withHeader(header).get("/api/v1/action/").status(), header);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ApiKey ann:wrong", "ApiKey nobody:abc", "Token 0000", "Basic !!!notbase64",
            "Token a b", "Token", "ApiKey ann"})
    void aBadCredentialIs401WithAChallenge(String header) {
        Client.Response r = server.withHeader(header).get("/api/v1/action/");
        assertEquals(401, r.status(), header);
        assertNotNull(r.header("WWW-Authenticate"));
        assertEquals("Invalid token.", r.json().getString("error"));
    }

    @Test
    void aScriptIsChallengedWithTheApiKeySchemeNotBasic() {
        Client.Response r = server.withHeader(null).send(HttpMethod.GET, "/api/v1/action/",
                java.util.Map.of("X-Requested-With", "XMLHttpRequest"));
        assertEquals(401, r.status());
        assertEquals("ApiKey realm=\"actionlog\"", r.header("WWW-Authenticate"), "no browser prompts for it");
        assertEquals("Basic realm=\"actionlog\"", server.withHeader(null).get("/api/v1/action/").header("WWW-Authenticate"));
    }

    @Test
    void noCredentialIs401SayingSo() {
        Client.Response r = server.withHeader(null).get("/api/v1/action/");
        assertEquals(401, r.status());
        assertEquals("Authentication credentials were not provided.", r.json().getString("error"));
        assertNotNull(r.header("WWW-Authenticate"));
    }

    @Test
    void aUserReadsOnlyItsOwnAndMayNotRecord() {
        assertEquals(200, ann.get(annsAction).status());
        assertEquals(405, ann.post("/api/v1/action/", new JsonObject().put("action", "x")).status());
        assertEquals(405, ann.patch(annsAction, new JsonObject().put("state", "Success")).status());
        assertEquals(405, ann.postText(annsAction + "logs/", "x").status());
        assertEquals(201, ann.post(annsAction + "retry/", null).status());
    }

    @Test
    void anAuditorReadsEverythingAndWritesNothing() {
        assertEquals(200, auditor.get(annsAction).status());
        assertTrue(auditor.get("/api/v1/action/?user=ann").json().getJsonObject("meta").getInteger("total_count") >= 1);
        assertEquals(405, auditor.post("/api/v1/action/", new JsonObject().put("action", "x")).status());
        assertEquals(405, auditor.patch(annsAction, new JsonObject().put("state", "Success")).status());
        assertEquals(405, auditor.post(annsAction + "cancel/", null).status());
        assertEquals(405, auditor.post(annsAction + "retry/", null).status());
    }

    @Test
    void anAuditorMayNotCancelOrRetryEvenItsOwnActions() {
        String pending = recorder.record(new JsonObject().put("action", "D").put("user", "aud"))
                .getString("resource_uri");
        String failed = recorder.record(new JsonObject().put("action", "E").put("user", "aud").put("state", "Failed"))
                .getString("resource_uri");
        Client.Response cancel = auditor.post(pending + "cancel/", null);
        assertEquals(405, cancel.status(), cancel.body());
        assertEquals("GET", cancel.header("Allow"));
        assertEquals(405, auditor.post(failed + "retry/", null).status());
        assertEquals("Pending", auditor.get(pending).json().getString("state"));
        assertEquals(1, auditor.get("/api/v1/action/?user=aud&action=E").json().getJsonObject("meta")
                .getInteger("total_count"), "no retry was recorded");
    }

    @Test
    void aRecorderRecordsForAnyUserAndReadsAll() {
        JsonObject a = recorder.record(new JsonObject().put("action", "B").put("user", "someone"));
        assertEquals("someone", a.getString("user"));
        assertEquals(200, recorder.get(a.getString("resource_uri")).status());
    }

    @Test
    void anAdminMayDoEverything() {
        Client admin = server.admin();
        JsonObject a = admin.record(new JsonObject().put("action", "C").put("user", "ann"));
        assertEquals(200, admin.post(a.getString("resource_uri") + "cancel/", null).status());
        assertEquals(200, admin.patch(a.getString("resource_uri"), new JsonObject().put("state", "Canceled")).status());
        assertEquals(201, admin.post(a.getString("resource_uri") + "retry/", null).status());
    }

    @Test
    void healthNeedsNoCredentials() {
        Client.Response r = server.withHeader(null).get("/health");
        assertEquals(200, r.status());
        assertEquals("UP", r.json().getString("status"));
    }
}
