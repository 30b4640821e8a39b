package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Secrets inside a recorded body never reach the journal, whichever way the action comes in. */
class SecretsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, Map.of("redact.keys", "password,token,secret,api_key,authorization,PIN"));
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String storedBody(String uuid) {
        return server.admin().get("/api/v1/action/" + uuid + "/").json().getString("body");
    }

    @Test
    void anObjectBodyIsStoredWithItsSecretsMasked() {
        JsonObject a = recorder.record(new JsonObject().put("action", "Login")
                .put("body", new JsonObject().put("username", "alice").put("Password", "hunter2")
                        .put("profile", new JsonObject().put("pin", 1234).put("keys",
                                new io.vertx.core.json.JsonArray().add(new JsonObject().put("API_KEY", "k"))))));
        assertEquals("{\"username\":\"alice\",\"Password\":\"[REDACTED]\",\"profile\":{\"pin\":\"[REDACTED]\","
                + "\"keys\":[{\"API_KEY\":\"[REDACTED]\"}]}}", storedBody(a.getString("uuid")));
    }

    @Test
    void aStringBodyHoldingJsonIsMaskedAndAPlainOneKept() {
        JsonObject a = recorder.record(new JsonObject().put("action", "Login")
                .put("body", "{\"user\": \"bob\", \"token\": \"abc\"}"));
        assertEquals("{\"user\":\"bob\",\"token\":\"[REDACTED]\"}", storedBody(a.getString("uuid")));
        JsonObject b = recorder.record(new JsonObject().put("action", "Login").put("body", "token=abc"));
        assertEquals("token=abc", storedBody(b.getString("uuid")));
    }

    /** A string body holding JSON too deep for the parser is refused, as the same body given as an object is. */
    @Test
    void aStringBodyTooDeepToCheckIsRefused() {
        String deep = "[".repeat(1000) + "{\"password\":\"hunter2\"}" + "]".repeat(1000);
        for (String body : new String[] {deep, "{\"a\":" + deep + "}"}) {
            Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", "Deep").put("body", body));
            assertEquals(400, r.status(), r.body());
            assertTrue(r.json().getString("error").startsWith("body: "), r.body());
        }
        String shallower = "[".repeat(998) + "{\"password\":\"hunter2\"}" + "]".repeat(998);
        JsonObject a = recorder.record(new JsonObject().put("action", "Deep").put("body", shallower));
        assertFalse(storedBody(a.getString("uuid")).contains("hunter2"));
    }

    @Test
    void bulkIngestMasksToo() {
        String uuid = java.util.UUID.randomUUID().toString();
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/",
                "{\"action\":\"Bulk\",\"uuid\":\"" + uuid + "\",\"body\":{\"secret\":\"s\",\"n\":[{\"authorization\":\"b\"}]}}\n",
                "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        String body = storedBody(uuid);
        assertEquals("{\"secret\":\"[REDACTED]\",\"n\":[{\"authorization\":\"[REDACTED]\"}]}", body);
        assertFalse(body.contains("\"s\""));
    }

    @Test
    void aRepeatedPostWithTheSameSecretIsStillTheSameAction() {
        String uuid = java.util.UUID.randomUUID().toString();
        JsonObject a = new JsonObject().put("action", "Login").put("uuid", uuid)
                .put("body", new JsonObject().put("password", "p"));
        assertEquals(201, recorder.post("/api/v1/action/", a).status());
        assertEquals(200, recorder.post("/api/v1/action/", a).status(), "idempotent: compared after masking");
    }
}
