package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bytes that are not well-formed UTF-8 are refused with a 400 in every JSON body, wherever they stand, as log
 * appends already refused them. A lenient decoder would read an overlong {@code C0 AF} as '/', a surrogate pair
 * written as two three-byte sequences as one character, and {@code F4 90 80 80} as a code point past U+10FFFF.
 */
class BodyUtf8Test {
    private static final String SEQUENCES = "c0af,e080af,f08080af,eda080,edbfbf,eda0bdedb2a9,f4908080,f5808080,"
            + "e282,c3,80,ff,fe";

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;
    static String uuid;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        uuid = recorder.record(new JsonObject().put("action", "Target")).getString("uuid");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** {@code json} with the bytes in hex put where it says {@code @}. */
    private static Buffer with(String json, String hex) {
        String[] parts = json.split("@", -1);
        Buffer b = Buffer.buffer(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.appendBytes(HexFormat.of().parseHex(hex)).appendString(parts[i]);
        }
        return b;
    }

    private static void assertRefused(Client.Response r) {
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").contains("UTF-8"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "f08080af", "eda080", "edbfbf", "eda0bdedb2a9", "f4908080",
            "f5808080", "e282", "c3", "80", "ff", "fe"})
    void aSinglePostRefusesIt(String hex) {
        for (String json : new String[] {"{\"action\":\"a@\"}", "{\"action\":\"A\",\"body\":{\"k\":\"a@\"}}",
                "{\"action\":\"A\",\"body\":{\"a@\":1}}", "{\"action\":\"A\",\"a@\":1}",
                "{\"action\":\"A\",\"body\":\"a@\"}", "{\"action\":\"A\",\"metadata\":{\"k\":[\"@\"]}}"}) {
            assertRefused(recorder.sendBytes(HttpMethod.POST, "/api/v1/action/", with(json, hex),
                    "application/json"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "f08080af", "eda080", "eda0bdedb2a9", "f4908080", "e282", "80"})
    void aPatchRefusesIt(String hex) {
        for (String json : new String[] {"{\"state\":\"Failed\",\"error\":\"a@\"}",
                "{\"state\":\"Failed\",\"metadata\":{\"@\":1}}"}) {
            assertRefused(recorder.sendBytes(HttpMethod.PATCH, "/api/v1/action/" + uuid + "/", with(json, hex),
                    "application/json"));
        }
        assertEquals("Pending", server.admin().get("/api/v1/action/" + uuid + "/").json().getString("state"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "eda080", "eda0bdedb2a9", "f4908080", "e282", "ff"})
    void aLogAppendRefusesIt(String hex) {
        Client.Response r = recorder.sendBytes(HttpMethod.POST, "/api/v1/action/" + uuid + "/logs/",
                with("line a@\n", hex), "text/plain");
        assertEquals(400, r.status(), r.body());
    }

    @Test
    void aBulkUploadRefusesEachSuchLineByItsNumberAndRecordsTheRest() {
        String[] sequences = SEQUENCES.split(",");
        Buffer body = Buffer.buffer();
        for (String hex : sequences) {
            body.appendString("{\"action\":\"Good\"}\n").appendBuffer(with("{\"action\":\"a@\"}\n", hex));
        }
        body.appendString("{\"action\":\"Last, \u00e9\"}");
        Client.Response r = recorder.sendBytes(HttpMethod.POST, "/api/v1/action/bulk/", body,
                "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        JsonObject reply = r.json();
        int lines = 2 * sequences.length + 1;
        assertEquals(lines, reply.getInteger("lines"), reply.encode());
        assertEquals(sequences.length + 1, reply.getInteger("accepted"), reply.encode());
        assertEquals(sequences.length, reply.getInteger("rejected"), reply.encode());
        for (int i = 0; i < sequences.length; i++) {
            JsonObject e = reply.getJsonArray("errors").getJsonObject(i);
            assertEquals(2 * i + 2, e.getInteger("line"), reply.encode());
            assertTrue(e.getString("error").contains("UTF-8"), reply.encode());
        }
    }

    @Test
    void wellFormedTextOfEveryLengthIsKept() {
        String text = "a/\u00e9\u0800\uffff\ud800\udc00\udbff\udfff";
        Client.Response r = recorder.sendBytes(HttpMethod.POST, "/api/v1/action/",
                Buffer.buffer(("{\"action\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8)),
                "application/json");
        assertEquals(201, r.status(), r.body());
        assertEquals(text, r.json().getString("action"));
    }
}
