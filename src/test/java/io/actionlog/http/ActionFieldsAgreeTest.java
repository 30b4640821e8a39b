package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionField;
import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The field list, the request validation (single and bulk POST) and the Tutum view name the same fields. */
class ActionFieldsAgreeTest {
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

    /** A valid value for every field a recorder may give, of the field's kind. */
    private static Object valid(ActionField field) {
        return switch (field.kind()) {
            case NUMBER -> 1;
            case UUID -> UUID.randomUUID().toString();
            case NAME -> field == ActionField.IP ? "192.0.2.9" : field == ActionField.METHOD ? "PATCH" : "n-" + field;
            case TEXT -> "text of " + field;
            case TEXT_OR_JSON -> new JsonObject().put("of", field.apiName());
            case NAMES -> new JsonArray().add("/api/v1/stack/1/");
            case STATE -> "Failed";
            case DATE -> "2026-01-02T03:04:05Z";
            case BOOLEAN -> false;
            case JSON_OBJECT -> new JsonObject().put("k", 1);
        };
    }

    /** A value of the wrong kind for the field. */
    private static Object wrong(ActionField field) {
        return switch (field.kind()) {
            case NUMBER, NAME, TEXT, TEXT_OR_JSON, JSON_OBJECT -> 12;
            case UUID -> "not-a-uuid";
            case NAMES -> "not a list";
            case STATE -> "Bogus";
            case DATE -> true;
            case BOOLEAN -> "yes";
        };
    }

    private static JsonObject everyWritableField() {
        JsonObject action = new JsonObject();
        for (ActionField field : ActionField.values()) {
            if (field.writable()) {
                action.put(field.apiName(), valid(field));
            }
        }
        return action;
    }

    @Test
    void everyFieldAppearsInTheTutumDetailWithWhatWasRecorded() {
        JsonObject sent = everyWritableField();
        Client.Response posted = recorder.post("/api/v1/action/", sent);
        assertEquals(201, posted.status(), posted.body());
        JsonObject detail = server.admin().get("/api/v1/action/" + sent.getString("uuid") + "/").json();
        for (ActionField field : ActionField.values()) {
            assertTrue(detail.containsKey(field.apiName()), "detail lacks " + field.apiName() + ": " + detail);
            if (field.writable() && field.kind() != ActionField.Kind.DATE) {
                Object expected = field.kind() == ActionField.Kind.TEXT_OR_JSON
                        ? sent.getJsonObject(field.apiName()).encode() : sent.getValue(field.apiName());
                assertEquals(expected, detail.getValue(field.apiName()), field.apiName());
            }
        }
        assertEquals("rec", detail.getString(ActionField.RECORDED_BY.apiName()));
    }

    @Test
    void everyWritableFieldIsCheckedByNameInSingleAndBulkPosts() {
        StringBuilder bulk = new StringBuilder();
        List<ActionField> inBulk = new ArrayList<>();
        for (ActionField field : ActionField.values()) {
            JsonObject bad = new JsonObject().put("action", "Field Check")
                    .put(field.apiName(), field.writable() ? wrong(field) : valid(field));
            String expected = field.apiName() + ": " + (field.writable() ? "" : "is read-only");
            Client.Response r = recorder.post("/api/v1/action/", bad);
            assertEquals(400, r.status(), field.apiName() + " " + r.body());
            assertTrue(r.json().getString("error").startsWith(expected), field.apiName() + " " + r.body());
            if (field.writable()) {
                bulk.append(bad.encode()).append('\n');
                inBulk.add(field);
            }
        }
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", bulk.toString(),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        JsonArray errors = r.json().getJsonArray("errors");
        assertEquals(inBulk.size(), errors.size(), r.body());
        for (int i = 0; i < inBulk.size(); i++) {
            assertTrue(errors.getJsonObject(i).getString("error").startsWith(inBulk.get(i).apiName() + ": "),
                    inBulk.get(i).apiName() + " " + errors.getJsonObject(i));
        }
    }

    /** An export line carries them, so a bulk line may: id and recorded_by are the new server's, retry_of is kept. */
    @Test
    void bulkLinesMayCarryTheServersFieldsAsAnExportHasThem() {
        String original = UUID.randomUUID().toString();
        String uuid = UUID.randomUUID().toString();
        JsonObject line = new JsonObject().put("action", "Loaded").put("uuid", uuid).put("id", 987654)
                .put("recorded_by", "someone-else").put("retry_of", original);
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", line.encode() + "\n"
                + line.copy().put("uuid", UUID.randomUUID().toString()).put("retry_of", "not-a-uuid").encode(),
                "application/x-ndjson");
        assertEquals(1, r.json().getInteger("created"), r.body());
        assertTrue(r.json().getJsonArray("errors").getJsonObject(0).getString("error").startsWith("retry_of: "),
                r.body());
        JsonObject detail = recorder.get("/api/v1/action/" + uuid + "/").json();
        assertEquals(original, detail.getString("retry_of"));
        assertEquals("rec", detail.getString("recorded_by"));
        assertTrue(detail.getLong("id") < 987654);
    }

    @Test
    void everyLimitOfTheFieldListIsHeldAtTheDoor() {
        for (ActionField field : ActionField.values()) {
            if (!field.writable() || field.limit() == 0) {
                continue;
            }
            Object over = field.kind() == ActionField.Kind.NAMES
                    ? new JsonArray(java.util.Collections.nCopies(field.limit() + 1, "/p/"))
                    : field.kind() == ActionField.Kind.JSON_OBJECT
                    ? new JsonObject().put("k", "m".repeat(field.limit()))
                    : "a".repeat(field.limit() + 1);
            Client.Response r = recorder.post("/api/v1/action/",
                    new JsonObject().put("action", "Limit Check").put(field.apiName(), over));
            assertEquals(400, r.status(), field.apiName());
            assertTrue(r.json().getString("error").startsWith(field.apiName() + ": "), r.body());
        }
    }
}
