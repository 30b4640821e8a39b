package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionField;
import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every size limit answers with its own status and a message that names what was too large. */
class LimitsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;
    static String uri;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, Map.of("http.max_body_bytes", "1048576", "http.max_header_bytes", "4096",
                "http.max_initial_line_bytes", "2048"));
        recorder = server.addUser("rec", Role.RECORDER);
        uri = recorder.record(new JsonObject().put("action", "limits")).getString("resource_uri");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int total() {
        return server.admin().get("/api/v1/action/?limit=1").json().getJsonObject("meta").getInteger("total_count");
    }

    @Test
    void aBodyOverTheLimitIs413NamingTheKey() {
        int before = total();
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/",
                "{\"action\":\"big\",\"body\":\"" + "x".repeat(1 << 20) + "\"}", "application/json");
        assertEquals(413, r.status());
        assertTrue(r.json().getString("error").contains("http.max_body_bytes"), r.body());
        assertEquals(before, total());
    }

    @Test
    void oneLogAppendIsAtMost512KiB() {
        Client.Response r = recorder.postText(uri + "logs/", "y".repeat(ActionField.LOGS.limit() + 1));
        assertEquals(413, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith("body:"), r.body());
        assertEquals(200, recorder.postText(uri + "logs/", "y".repeat(ActionField.LOGS.limit())).status());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({"action,255", "user,150", "method,16", "path,2048", "object,2048", "location,255",
        "user_agent,1024", "body,524288", "error,65536", "logs,524288"})
    void aFieldOverItsLimitIs400NamingIt(String field, int max) {
        String value = field.equals("method") ? "G".repeat(max + 1) : "a".repeat(max + 1);
        JsonObject a = new JsonObject().put("action", "x").put(field, value);
        Client.Response r = recorder.post("/api/v1/action/", a);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith(field + ":"), r.body());
        a.put(field, value.substring(1));
        assertTrue(recorder.post("/api/v1/action/", a).status() / 100 == 2, field + " at the limit is accepted");
    }

    @Test
    void parentsAndMetadataHaveLimitsToo() {
        JsonArray parents = new JsonArray();
        for (int i = 0; i <= ActionField.PARENTS.limit(); i++) {
            parents.add("/p/" + i + "/");
        }
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", "x").put("parents", parents));
        assertEquals(400, r.status());
        assertTrue(r.json().getString("error").startsWith("parents:"), r.body());
        r = recorder.post("/api/v1/action/", new JsonObject().put("action", "x")
                .put("metadata", new JsonObject().put("k", "m".repeat(ActionField.METADATA.limit()))));
        assertEquals(400, r.status());
        assertTrue(r.json().getString("error").startsWith("metadata:"), r.body());
    }

    @Test
    void headersOverTheLimitAre431AndALongRequestLineIs414() throws IOException {
        String big = "GET /api/v1/action/ HTTP/1.1\r\nHost: x\r\nX-Filler: " + "f".repeat(5000) + "\r\n\r\n";
        assertEquals(431, rawStatus(big));
        String longLine = "GET /api/v1/action/?object=" + "o".repeat(3000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertEquals(414, rawStatus(longLine));
        assertEquals(401, rawStatus("GET /api/v1/action/?object=" + "o".repeat(1500) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                "under the limit it reaches the server");
    }

    @Test
    void theDecodersRefusalsAreJsonNamingTheKey() throws IOException {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Response r = raw.exchange("GET", ("/api/v1/action/?object=" + "o".repeat(3000)).getBytes(
                    StandardCharsets.US_ASCII), Map.of(), null);
            assertEquals(414, r.status());
            assertTrue(r.text().contains("http.max_initial_line_bytes"), r.text());
            r = raw.exchange("GET", "/api/v1/action/".getBytes(StandardCharsets.US_ASCII),
                    Map.of("X-Filler", "f".repeat(5000)), null);
            assertEquals(431, r.status());
            assertTrue(r.text().contains("http.max_header_bytes"), r.text());
        }
    }

    @Test
    void theDecodersRefusalsTakeTheShapeOfTheFaceAsked() throws IOException {
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Response r = raw.exchange("GET", "/api/user-action-executions/".getBytes(StandardCharsets.US_ASCII),
                    Map.of("X-Filler", "f".repeat(5000)), null);
            assertEquals(431, r.status());
            JsonObject waldur = new JsonObject(r.text());
            assertEquals(java.util.Set.of("detail"), waldur.fieldNames(), r.text());
            r = raw.exchange("GET", "/api/v1/action/".getBytes(StandardCharsets.US_ASCII),
                    Map.of("X-Filler", "f".repeat(5000)), null);
            assertEquals(java.util.Set.of("error"), new JsonObject(r.text()).fieldNames(), r.text());
            // A request line too long to read names no face: both clients find their message.
            r = raw.exchange("GET", ("/api/user-action-executions/?o=" + "o".repeat(3000)).getBytes(
                    StandardCharsets.US_ASCII), Map.of(), null);
            assertEquals(414, r.status());
            JsonObject either = new JsonObject(r.text());
            assertEquals(either.getString("error"), either.getString("detail"), r.text());
            assertTrue(either.getString("detail").contains("http.max_initial_line_bytes"), r.text());
        }
        try (RawHttp raw = new RawHttp(server.port())) {
            RawHttp.Response r = raw.exchange("G(T", "/api/user-action-executions/".getBytes(StandardCharsets.US_ASCII),
                    Map.of(), null);
            assertEquals(400, r.status());
            JsonObject either = new JsonObject(r.text());
            assertEquals(either.getString("error"), either.getString("detail"), "a line not read names no face: " + r.text());
        }
    }

    private static int rawStatus(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return Integer.parseInt(RawHttp.line(in).split(" ")[1]);
        }
    }
}
