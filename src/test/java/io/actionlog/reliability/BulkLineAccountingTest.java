package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every line of a bulk upload is either recorded or reported by its own number, whatever it holds: a number
 * too large for any numeric type once cut the rest of its piece of the body away unreported.
 */
class BulkLineAccountingTest {
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

    @Test
    void everyLineIsRecordedOrReportedByItsTrueNumberWhateverNumbersItHolds() {
        List<String> uuids = new ArrayList<>();
        Map<Integer, String> refusedField = new TreeMap<>();
        StringBuilder body = new StringBuilder();
        for (int line = 1; line <= 1000; line++) {
            String uuid = UUID.randomUUID().toString();
            uuids.add(uuid);
            String extra = switch (line) {
                case 5, 102, 499, 731, 1000 -> ",\"body\":{\"n\":1e2147483648,\"i\":" + line + "}";
                case 250 -> ",\"body\":\"{\\\"password\\\":1e2147483648,\\\"x\\\":1e400}\"";
                case 400 -> ",\"metadata\":{\"n\":1e400,\"m\":-1e-2147483649}";
                case 444 -> ",\"body\":[1e2147483648,{\"token\":1e2147483648}]";
                case 600, 601 -> ",\"start_date\":1e2147483648";
                case 700 -> ",\"end_date\":1e400,\"state\":\"Success\"";
                default -> ",\"body\":{\"i\":" + line + "}";
            };
            if (line == 600 || line == 601) {
                refusedField.put(line, "start_date");
            } else if (line == 700) {
                refusedField.put(line, "end_date");
            }
            body.append("{\"action\":\"Bulk numbers\",\"uuid\":\"").append(uuid).append('"').append(extra)
                    .append("}\n");
        }
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body.toString(),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        JsonObject reply = r.json();
        assertEquals(1000, reply.getInteger("lines"));
        assertEquals(1000, reply.getInteger("accepted") + reply.getInteger("rejected"), reply.encode());
        assertEquals(refusedField.size(), reply.getInteger("rejected"), reply.encode());
        JsonArray errors = reply.getJsonArray("errors");
        for (int i = 0; i < errors.size(); i++) {
            JsonObject e = errors.getJsonObject(i);
            String field = refusedField.get(e.getInteger("line"));
            assertTrue(field != null && e.getString("error").startsWith(field), e.encode());
        }
        assertEquals("{\"n\":1e2147483648,\"i\":5}", storedBody(uuids.get(4)));
        assertEquals("{\"n\":1e2147483648,\"i\":1000}", storedBody(uuids.get(999)));
        assertEquals("{\"password\":\"[REDACTED]\",\"x\":1e400}", storedBody(uuids.get(249)));
        assertEquals("[1e2147483648,{\"token\":\"[REDACTED]\"}]", storedBody(uuids.get(443)));
        assertTrue(detail(uuids.get(399)).contains("\"metadata\":{\"n\":1e400,\"m\":-1e-2147483649}"));
        assertEquals("{\"i\":999}", storedBody(uuids.get(998)));
    }

    private static String detail(String uuid) {
        return server.admin().get("/api/v1/action/" + uuid + "/").body();
    }

    private static String storedBody(String uuid) {
        return new JsonObject(detail(uuid)).getString("body");
    }
}
