package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.actionlog.action.Dates;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TutumRecordTest {
    static final Pattern RFC_1123 = Pattern.compile("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000");
    static final List<String> TUTUM_KEYS = List.of("action", "body", "can_be_canceled", "can_be_retried",
            "end_date", "ip", "is_user_action", "location", "method", "object", "path", "resource_uri",
            "start_date", "state", "user", "user_agent", "uuid");

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

    private static int total() {
        return server.admin().get("/api/v1/action/?limit=1").json().getJsonObject("meta").getInteger("total_count");
    }

    @Test
    void recordingAppliesTheDefaultsAndAnswers201WithLocation() {
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", "Cluster Create"));
        assertEquals(201, r.status(), r.body());
        JsonObject a = r.json();
        TUTUM_KEYS.forEach(k -> assertTrue(a.containsKey(k), "missing " + k));
        assertEquals("/api/v1/action/" + a.getString("uuid") + "/", r.header("Location"));
        assertEquals(a.getString("resource_uri"), r.header("Location"));
        assertEquals("rec", a.getString("user"));
        assertEquals("rec", a.getString("recorded_by"));
        assertEquals("Pending", a.getString("state"));
        assertEquals("unknown", a.getString("location"));
        assertEquals("", a.getString("logs"));
        assertEquals("", a.getString("error"));
        assertEquals(new JsonObject(), a.getJsonObject("metadata"));
        assertTrue(a.getBoolean("is_user_action"));
        assertTrue(a.getBoolean("can_be_canceled"));
        assertFalse(a.getBoolean("can_be_retried"));
        assertNull(a.getValue("end_date"));
        assertTrue(RFC_1123.matcher(a.getString("start_date")).matches(), a.getString("start_date"));
        assertEquals(4, UUID.fromString(a.getString("uuid")).version());
    }

    @Test
    void everyFieldIsStoredAsGiven() {
        JsonObject in = new JsonObject().put("action", "Service Start").put("user", "alice").put("method", "post")
                .put("path", "/api/v1/service/x/start/").put("object", "/api/v1/service/x/")
                .put("parents", new JsonArray().add("/api/v1/stack/s/")).put("ip", "2001:db8::1")
                .put("location", "Madrid, ES").put("user_agent", "tutum-cli/0.21")
                .put("body", new JsonObject().put("b", 1).put("a", "x")).put("state", "Success")
                .put("start_date", "Wed, 17 Sep 2014 08:26:22 +0000").put("end_date", "2014-09-17T08:27:00Z")
                .put("error", "").put("metadata", new JsonObject().put("k", "v")).put("is_user_action", false)
                .put("logs", "line 1\n");
        JsonObject a = recorder.record(in);
        assertEquals("alice", a.getString("user"));
        assertEquals("POST", a.getString("method"));
        assertEquals("{\"b\":1,\"a\":\"x\"}", a.getString("body"));
        assertEquals("Wed, 17 Sep 2014 08:26:22 +0000", a.getString("start_date"));
        assertEquals("Wed, 17 Sep 2014 08:27:00 +0000", a.getString("end_date"));
        assertEquals(new JsonArray().add("/api/v1/stack/s/"), a.getJsonArray("parents"));
        assertEquals("Madrid, ES", a.getString("location"));
        assertEquals("line 1\n", a.getString("logs"));
        assertFalse(a.getBoolean("is_user_action"));
        assertFalse(a.getBoolean("can_be_canceled"));
        assertTrue(a.getBoolean("can_be_retried"));
    }

    @Test
    void theReplyToARecordIsTheActionAsReadBackLater() {
        // Long values (beyond what the journal numbers), repeated ones, non-ASCII and characters JSON escapes.
        String long600 = "/api/v1/service/" + "p".repeat(600) + "/";
        for (int i = 0; i < 3; i++) {
            JsonObject in = new JsonObject().put("action", "Service Start").put("user", "zoë " + i % 2)
                    .put("object", long600).put("parents", new JsonArray().add("/s/\u2603/").add(long600))
                    .put("path", "/a\"b/\u00e9/\uD83D\uDE00/").put("body", "{\"k\":\"tab\\there\"}")
                    .put("user_agent", "agent \"q\" \\").put("state", i == 0 ? "Pending" : "Failed")
                    .put("error", "boom\t\u0001 " + i).put("metadata", new JsonObject().put("n", i)).put("logs", "l\n");
            Client.Response r = recorder.post("/api/v1/action/", in);
            assertEquals(201, r.status(), r.body());
            assertEquals(recorder.get(r.header("Location")).body(), r.body());
        }
    }

    @Test
    void aTerminalStateAtCreationGetsAnEndDate() {
        JsonObject a = recorder.record(new JsonObject().put("action", "x").put("state", "Failed").put("error", "boom"));
        assertNotNull(a.getString("end_date"));
        assertEquals("boom", a.getString("error"));
    }

    @Test
    void theSameUuidWithTheSameContentAnswers200WithTheStoredAction() {
        String uuid = UUID.randomUUID().toString();
        JsonObject in = new JsonObject().put("uuid", uuid).put("action", "Node Deploy").put("object", "/o/1/");
        JsonObject first = recorder.record(in);
        int before = total();
        Client.Response again = recorder.post("/api/v1/action/", in);
        assertEquals(200, again.status(), again.body());
        assertEquals(first.getString("start_date"), again.json().getString("start_date"));
        assertEquals(first.getLong("id"), again.json().getLong("id"));
        assertEquals(before, total());
    }

    /** A null field takes its default, as if left out: a repeat is not compared against a default of its own time. */
    @Test
    void aRepeatThatGivesDefaultsAsNullAnswers200() {
        for (String state : List.of("Pending", "Success")) {
            String uuid = UUID.randomUUID().toString();
            JsonObject in = new JsonObject().put("uuid", uuid).put("action", "Null Defaults").put("state", state)
                    .putNull("start_date").putNull("end_date").putNull("user").putNull("metadata");
            JsonObject first = recorder.record(in);
            int before = total();
            Client.Response again = recorder.post("/api/v1/action/", in);
            assertEquals(200, again.status(), again.body());
            assertEquals(first.getLong("id"), again.json().getLong("id"));
            assertEquals(before, total());
        }
    }

    /**
     * A recorder that reports an action once it finished gives its end, often in whole seconds, and no start: the
     * start is then the end (not the later time of the request), and a repeat, whenever it comes, is the same.
     */
    @Test
    void aFinishedActionGivenOnlyItsEndStartsAtItAndItsRepeatAnswers200() {
        String thisSecond = Dates.rfc1123(Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli() * 1000);
        for (String end : List.of("Mon, 02 Mar 2026 10:00:00 +0000", thisSecond)) {
            String uuid = UUID.randomUUID().toString();
            JsonObject in = new JsonObject().put("uuid", uuid).put("action", "Reported Late").put("state", "Success")
                    .put("end_date", end);
            JsonObject first = recorder.record(in);
            assertEquals(end, first.getString("start_date"));
            assertEquals(end, first.getString("end_date"));
            int before = total();
            Client.Response again = recorder.post("/api/v1/action/", in);
            assertEquals(200, again.status(), end + ": " + again.body());
            assertEquals(first.getLong("id"), again.json().getLong("id"));
            assertEquals(before, total());
        }
    }

    @Test
    void theSameUuidWithOtherContentIs409AndWritesNothing() {
        String uuid = UUID.randomUUID().toString();
        recorder.record(new JsonObject().put("uuid", uuid).put("action", "A"));
        int before = total();
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("uuid", uuid).put("action", "B"));
        assertEquals(409, r.status());
        assertTrue(r.json().getString("error").contains(uuid));
        assertEquals(before, total());
    }

    @ParameterizedTest(name = "{0} -> 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "{}|action",
        "{\"action\":\"\"}|action",
        "{\"action\":5}|action",
        "{\"action\":\"x\",\"colour\":\"red\"}|colour",
        "{\"action\":\"x\",\"resource_uri\":\"/x/\"}|resource_uri",
        "{\"action\":\"x\",\"state\":\"Done\"}|state",
        "{\"action\":\"x\",\"start_date\":\"yesterday\"}|start_date",
        "{\"action\":\"x\",\"start_date\":true}|start_date",
        "{\"action\":\"x\",\"end_date\":\"2014-01-01T00:00:00Z\"}|end_date",
        "{\"action\":\"x\",\"ip\":\"300.1.1.1\"}|ip",
        "{\"action\":\"x\",\"ip\":\"1::2::3\"}|ip",
        "{\"action\":\"x\",\"ip\":\"localhost\"}|ip",
        "{\"action\":\"x\",\"uuid\":\"not-a-uuid\"}|uuid",
        "{\"action\":\"x\",\"parents\":\"/o/\"}|parents",
        "{\"action\":\"x\",\"parents\":[1]}|parents",
        "{\"action\":\"x\",\"parents\":[\"/o/\\u0000\"]}|parents",
        "{\"action\":\"x\",\"parents\":[\"/o/\\n\"]}|parents",
        "{\"action\":\"x\",\"metadata\":[1]}|metadata",
        "{\"action\":\"x\",\"body\":12}|body",
        "{\"action\":\"x\",\"is_user_action\":\"yes\"}|is_user_action",
        "{\"action\":\"x\",\"method\":\"GE T\"}|method",
        "{\"action\":\"x\",\"user\":\"\"}|user",
        "[1,2]|body",
        "{\"action\":\"x\",\"action\":\"y\"}|body",
        "{\"action\":\"x\",\"metadata\":{\"k\":1,\"k\":2}}|body",
        "{\"action\":\"x\",\"ip\":\"1.2.3.4.\"}|ip",
        "{\"action\":\"x\",\"ip\":\"1..2.3\"}|ip",
        "{\"action\":\"x\"} trailing|body",
        "{\"action\":|body",
    })
    void badInputIs400NamingTheFieldAndWritesNothing(String body, String field) {
        int before = total();
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", body, "application/json");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith(field), r.body());
        assertEquals(before, total());
    }

    /** Epoch seconds as a float's shortest text, which often has more than six fraction digits. */
    @Test
    void anEpochDateWithSevenFractionDigitsIsRecorded() {
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/",
                "{\"action\":\"x\",\"start_date\":1410942382.1234567}", "application/json");
        assertEquals(201, r.status(), r.body());
        assertEquals("Wed, 17 Sep 2014 08:26:22 +0000", r.json().getString("start_date"));
    }

    /** The fraction counts toward the range: half a second before 0001-01-01 is out of it, as a whole second is. */
    @ParameterizedTest
    @CsvSource({"-62135596800.5", "-62135596801"})
    void anEpochDateBeforeTheFirstYearIs400EvenByAFraction(String seconds) {
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/",
                "{\"action\":\"x\",\"start_date\":\"" + seconds + "\"}", "application/json");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith("start_date"), r.body());
        Client.Response first = recorder.send(HttpMethod.POST, "/api/v1/action/",
                "{\"action\":\"x\",\"start_date\":\"-62135596800.0\"}", "application/json");
        assertEquals(201, first.status(), first.body());
        assertEquals("Mon, 01 Jan 0001 00:00:00 +0000", first.json().getString("start_date"));
    }

    @Test
    void aDuplicateKeyIsNamedWithoutTheParserInternals() {
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", "{\"action\":\"x\",\"action\":\"y\"}",
                "application/json");
        assertEquals(400, r.status());
        assertEquals("body: not valid JSON (Duplicate field 'action')", r.json().getString("error"));
    }

    @Test
    void anOversizedActionNameIs400() {
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", "x".repeat(256)));
        assertEquals(400, r.status());
        assertTrue(r.json().getString("error").startsWith("action"));
    }

    @Test
    void limitsCountCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        JsonObject a = recorder.record(new JsonObject().put("action", emoji.repeat(255))
                .put("parents", new JsonArray().add(emoji.repeat(2048))));
        assertEquals(emoji.repeat(255), a.getString("action"));
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", emoji.repeat(256)));
        assertEquals(400, r.status(), r.body());
        assertEquals("action: longer than 255 characters", r.json().getString("error"));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        Client.Response r = recorder.post("/api/v1/action/",
                new JsonObject().put("action", "x").put("body", "y".repeat(1_100_000)));
        assertEquals(413, r.status());
        assertTrue(r.json().containsKey("error"));
    }

    @Test
    void anotherContentTypeIs415() {
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", "action=x", "application/x-www-form-urlencoded");
        assertEquals(415, r.status());
    }

    /** The whole media type is compared, not its start; parameters and case do not matter. */
    @Test
    void aTypeThatOnlyStartsLikeJsonIs415() {
        String json = new JsonObject().put("action", "Typed").encode();
        for (String type : List.of("application/jsonx", "application/json-patch+json", "application/jsonl")) {
            Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", json, type);
            assertEquals(415, r.status(), type + " " + r.body());
        }
        for (String type : List.of("application/json; charset=utf-8", "Application/JSON", "application/json ;q=1")) {
            Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", json, type);
            assertEquals(201, r.status(), type + " " + r.body());
        }
    }

    /** curl's {@code -d} declares every body a form: such a body must reach the API as sent, whatever it holds. */
    @Test
    void aBodyDeclaredAsAFormIsTakenAsSent() {
        String form = "application/x-www-form-urlencoded";
        String json = new JsonObject().put("action", "100% done").put("body", "x".repeat(2000)).encode();
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/", json, form);
        assertEquals(415, r.status(), r.body());
        assertTrue(r.json().getString("error").contains("not " + form), r.body());
        String uri = recorder.record(new JsonObject().put("action", "Form logs")).getString("resource_uri");
        assertEquals(415, recorder.send(HttpMethod.PATCH, uri, "{\"state\":\"Failed\",\"error\":\"50%\"}", form).status());
        String log = "progress 50% (a%zz) & more=" + "y".repeat(1100) + "\n";
        for (String type : List.of(form, "multipart/form-data; boundary=x")) {
            r = recorder.send(HttpMethod.POST, uri + "logs/", log, type);
            assertEquals(200, r.status(), r.body());
        }
        assertEquals(log + log, recorder.get(uri).json().getString("logs"));
        r = recorder.send(HttpMethod.POST, uri + "cancel/", "x%", form);
        assertTrue(r.status() != 400, r.status() + " " + r.body());
    }

    @Test
    void invalidUtf8IsRejectedWith400() {
        Client.Response r = recorder.sendBytes(HttpMethod.POST, "/api/v1/action/",
                io.vertx.core.buffer.Buffer.buffer(new byte[] {'{', '"', 'a', 'c', 't', 'i', 'o', 'n', '"', ':', '"',
                        (byte) 0xC3, (byte) 0x28, '"', '}'}), "application/json");
        assertEquals(400, r.status(), r.body());
    }

    /** Tastypie answers OPTIONS before it authenticates: 200 and the resource's methods. */
    @Test
    void optionsNamesTheMethodsOfAResourceWithoutCredentials() {
        Client anyone = server.withHeader(null);
        String uuid = recorder.record(new JsonObject().put("action", "x")).getString("uuid");
        for (String[] c : new String[][] {{"/api/v1/action/", "GET, POST"}, {"/api/v1/action/" + uuid + "/",
                "GET, PATCH"}, {"/api/v1/action/" + uuid + "/logs", "GET, POST"}}) {
            Client.Response r = anyone.send(HttpMethod.OPTIONS, c[0], null, null);
            assertEquals(200, r.status(), c[0] + " " + r.body());
            assertEquals(c[1], r.header("Allow"), c[0]);
            assertEquals(c[1], r.body(), c[0]);
        }
        assertEquals(404, anyone.send(HttpMethod.OPTIONS, "/api/v1/nothing/", null, null).status());
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() {
        assertEquals(404, recorder.get("/api/v1/nothing/").status());
        Client.Response r = recorder.send(HttpMethod.DELETE, "/api/v1/action/", null, null);
        assertEquals(405, r.status());
        assertTrue(r.json().containsKey("error"));
    }

    @Test
    void anEndDateBeforeTheStartDateIs400NamingBothAndWritesNothing() {
        int before = total();
        Client.Response r = recorder.post("/api/v1/action/", new JsonObject().put("action", "x").put("state", "Success")
                .put("start_date", "2026-03-02T10:00:00Z").put("end_date", "2026-03-02T09:59:59Z"));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith("end_date:"), r.body());
        assertTrue(r.json().getString("error").contains("start_date"), r.body());
        assertEquals(before, total());
    }

    @Test
    void aFinishedActionThatStartsInTheFutureEndsNoEarlierThanItStarts() {
        JsonObject a = recorder.record(new JsonObject().put("action", "x").put("state", "Success")
                .put("start_date", "2999-01-01T00:00:00Z"));
        assertEquals(a.getString("start_date"), a.getString("end_date"));
    }

    @Test
    void aFinishedActionEndingInTheSecondItStartedIsRecordedEndingAtItsStart() {
        JsonObject a = recorder.record(new JsonObject().put("action", "x").put("state", "Failed")
                .put("start_date", "2026-03-02T10:00:00.999Z").put("end_date", "Mon, 02 Mar 2026 10:00:00 +0000"));
        assertEquals("Mon, 02 Mar 2026 10:00:00 +0000", a.getString("end_date"));
        // Recorded as the start itself, to the microsecond: a bound just before the start finds no end.
        assertEquals(0, recorder.get("/api/v1/action/?end_date__lt=2026-03-02T10:00:00.999Z&action=x&state=Failed")
                .json().getJsonObject("meta").getInteger("total_count"));
        assertEquals(1, recorder.get("/api/v1/action/?end_date__lte=2026-03-02T10:00:00.999Z&action=x&state=Failed")
                .json().getJsonObject("meta").getInteger("total_count"));
    }
}
