package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers of any size and precision in a recorded body are kept exactly as sent, and never cause a 500. */
class BodyNumbersTest {
    private static final String NUMBERS = "{\"big\":1e2147483648,\"x\":0.1000000000000000055511151231257827,"
            + "\"inf\":1e400,\"z\":-0,\"e\":1E+2,\"t\":1.50,\"i\":123456789012345678901234567890}";

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Client.Response post(String json) {
        return recorder.send(HttpMethod.POST, "/api/v1/action/", json, "application/json");
    }

    private static String detail(String uuid) {
        return server.admin().get("/api/v1/action/" + uuid + "/").body();
    }

    private static String quoted(String text) {
        return io.vertx.core.json.Json.encode(text);
    }

    private static String recordBody(String bodyJson) {
        Client.Response r = post("{\"action\":\"Numbers\",\"body\":" + bodyJson + "}");
        assertEquals(201, r.status(), r.body());
        return new JsonObject(detail(r.json().getString("uuid"))).getString("body");
    }

    @Test
    void anObjectBodyKeepsEveryNumberAsSentInCompactForm() {
        String spaced = NUMBERS.replace(",", " ,\n ").replace(":", " : ");
        assertEquals(NUMBERS, recordBody(spaced));
        assertEquals("[" + NUMBERS + ",1e400]", recordBody("[" + NUMBERS + ", 1e400]"));
    }

    @Test
    void aStringBodyHoldingJsonIsKeptByteForByte() {
        String text = "{\"note\": \"token\", \"x\": 0.1000000000000000055511151231257827, \"y\": 1e400}";
        assertEquals(text, recordBody(quoted(text)));
    }

    @Test
    void redactionChangesOnlyTheRedactedValues() {
        String given = "{\"password\":1e400,\"x\":0.1000000000000000055511151231257827}";
        String masked = "{\"password\":\"[REDACTED]\",\"x\":0.1000000000000000055511151231257827}";
        assertEquals(masked, recordBody(given));
        assertEquals(masked, recordBody(quoted(given)));
        assertEquals("{\"a\":[{\"token\":\"[REDACTED]\",\"n\":1e2147483648}],\"z\":-0}",
                recordBody("{\"a\":[{\"token\":{\"deep\":[1e400]},\"n\":1e2147483648}],\"z\":-0}"));
    }

    @Test
    void metadataKeepsEveryNumberAsSentOnPostAndPatch() {
        Client.Response r = post("{\"action\":\"Numbers\",\"metadata\":" + NUMBERS + "}");
        assertEquals(201, r.status(), r.body());
        String uuid = r.json().getString("uuid");
        assertTrue(detail(uuid).contains("\"metadata\":" + NUMBERS), detail(uuid));
        Client.Response p = recorder.send(HttpMethod.PATCH, "/api/v1/action/" + uuid + "/",
                "{\"state\":\"Success\",\"metadata\":{\"n\":1e2147483648}}", "application/json");
        assertEquals(200, p.status(), p.body());
        assertTrue(detail(uuid).contains("\"metadata\":{\"n\":1e2147483648}"), detail(uuid));
    }

    @Test
    void aRepeatedPostWithTheSameNumbersIsTheSameAction() {
        String json = "{\"action\":\"Numbers\",\"uuid\":\"" + UUID.randomUUID() + "\",\"body\":" + NUMBERS + "}";
        assertEquals(201, post(json).status());
        assertEquals(200, post(json).status());
    }

    @Test
    void aDateGivenAsAnEnormousNumberIsA400NamingTheField() {
        for (String number : new String[] {"1e2147483648", "1e400", "-1e-2147483649"}) {
            Client.Response r = post("{\"action\":\"Numbers\",\"start_date\":" + number + "}");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.json().getString("error").startsWith("start_date"), r.body());
        }
    }
}
