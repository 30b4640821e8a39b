package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventStreamTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        server.addUser("ann", Role.USER);
        server.addUser("bob", Role.USER);
        server.addUser("aud", Role.AUDITOR);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String auth(String name) {
        return "ApiKey " + name + ":" + server.key(name);
    }

    @Test
    void anUnknownTypeClosesTheSocketWithBadRequestNamingTheParameter() {
        for (String type : List.of("bogus", "log")) {
            try (WsProbe p = events("admin", "?type=" + type)) {
                List<JsonObject> frames = p.untilClosed();
                assertEquals(1, frames.size(), frames.toString());
                JsonObject data = frames.get(0).getJsonObject("data");
                assertEquals("BAD_REQUEST", data.getString("errorMessage"));
                assertTrue(data.getString("detail").startsWith("type:"), data.encode());
            }
        }
    }

    @Test
    void aBadPercentEscapeInAStreamsQueryIsTheQuerys400() {
        for (String uri : List.of("/api/v1/events/?object=%ZZ", "/api/v1/events/?user=%ZZ&token=x",
                "/v1/events/?object=%ZZ", "/v1/events/?token=%E0%A4%A")) {
            Client.Response r = server.admin().get(uri);
            assertEquals(400, r.status(), uri + ": " + r.body());
            assertTrue(r.json().getString("error").startsWith("query:"), uri + ": " + r.body());
        }
    }

    static WsProbe events(String name, String query) {
        return WsProbe.open(server.port(), "/v1/events/" + query, auth(name));
    }

    static JsonObject record(String user, String object, String... parents) {
        return recorder.record(new JsonObject().put("action", "Change").put("user", user).put("object", object)
                .put("parents", new JsonArray(List.of((Object[]) parents))));
    }

    static void move(JsonObject action, String state) {
        assertEquals(200, recorder.patch(action.getString("resource_uri"), new JsonObject().put("state", state))
                .status());
    }

    /** "create:uuid" / "update:uuid" for every frame up to and including the create of {@code last}. */
    static List<String> until(WsProbe p, JsonObject last) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            JsonObject f = p.next();
            assertEquals("action", f.getString("type"), f.encode());
            seen.add(f.getString("action") + ":" + f.getString("uuid"));
            if (f.getString("uuid").equals(last.getString("uuid"))) {
                return seen;
            }
        }
    }

    static String create(JsonObject a) {
        return "create:" + a.getString("uuid");
    }

    static String update(JsonObject a) {
        return "update:" + a.getString("uuid");
    }

    @Test
    void aFramePerCreateAndStateChangeInJournalOrder() throws Exception {
        try (WsProbe p = events("aud", "")) {
            JsonObject a = record("ann", "/api/v1/cluster/c1/", "/api/v1/stack/s1/");
            move(a, "In progress");
            assertEquals(200, recorder.postText(a.getString("resource_uri") + "logs/", "not an event\n").status());
            move(a, "Success");
            JsonObject created = p.next();
            assertEquals(new JsonObject().put("type", "action").put("action", "create").put("uuid", a.getString("uuid"))
                    .put("resource_uri", "/api/v1/action/" + a.getString("uuid") + "/").put("state", "Pending")
                    .put("parents", new JsonArray().add("/api/v1/stack/s1/"))
                    .put("datetime", created.getString("datetime")), created);
            assertTrue(created.getString("datetime").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00"),
                    created.getString("datetime"));
            JsonObject running = p.next();
            assertEquals(List.of("update", "In progress"), List.of(running.getString("action"), running.getString("state")));
            JsonObject done = p.next();
            assertEquals(List.of("update", "Success"), List.of(done.getString("action"), done.getString("state")));
        }
    }

    @Test
    void filtersNarrowByTypeObjectAndParent() throws Exception {
        try (WsProbe byObject = events("aud", "?object=/o/1/");
             WsProbe byParent = events("aud", "?parent=/p/x/");
             WsProbe all = events("aud", "?type=action&object=/o/1/&parent=/p/x/")) {
            JsonObject a = record("ann", "/o/1/");
            JsonObject b = record("ann", "/o/2/", "/p/x/");
            JsonObject c = record("bob", "/o/1/", "/p/y/", "/p/x/");
            move(c, "Failed");
            JsonObject d = record("bob", "/o/3/", "/p/y/");
            JsonObject last = record("ann", "/o/1/", "/p/x/");
            assertEquals(List.of(create(a), create(c), update(c), create(last)), until(byObject, last));
            assertEquals(List.of(create(b), create(c), update(c), create(last)), until(byParent, last));
            assertEquals(List.of(create(c), update(c), create(last)), until(all, last));
            assertTrue(d.containsKey("uuid"));
        }
    }

    /** As on the Tutum face's list: a client that appends a parameter the URL has already gets what it appended. */
    @Test
    void aRepeatedFilterTakesItsLastValue() throws Exception {
        try (WsProbe p = events("aud", "?object=/r/1/&object=/r/2/&type=bogus&type=action")) {
            JsonObject first = record("ann", "/r/1/");
            JsonObject last = record("ann", "/r/2/");
            assertEquals(List.of(create(last)), until(p, last));
            assertTrue(first.containsKey("uuid"));
        }
    }

    @Test
    void eachUserSeesOnlyTheirOwnActionsWhileAnAuditorSeesAll() throws Exception {
        try (WsProbe ann = events("ann", "");
             WsProbe bob = events("bob", "");
             WsProbe aud = events("aud", "")) {
            JsonObject a1 = record("ann", "/shared/");
            JsonObject b1 = record("bob", "/shared/");
            move(b1, "Canceled");
            JsonObject a2 = record("ann", "/shared/");
            JsonObject b2 = record("bob", "/shared/");
            assertEquals(List.of(create(a1), create(a2)), until(ann, a2));
            assertEquals(List.of(create(b1), update(b1), create(b2)), until(bob, b2));
            assertEquals(List.of(create(a1), create(b1), update(b1), create(a2), create(b2)), until(aud, b2));
        }
    }

    @Test
    void queryCredentialsWorkAndBadCredentialsAreRefusedOnBothPaths() throws Exception {
        try (WsProbe p = WsProbe.open(server.port(), "/v1/events/?user=ann&token=" + server.key("ann"), null)) {
            JsonObject a = record("ann", "/q/");
            assertEquals(List.of(create(a)), until(p, a));
        }
        JsonObject refused = LogStreamTest.error("UNAUTHORIZED");
        for (String[] r : List.of(new String[] {"/v1/events/", "Token wrong-key-0123456789"},
                new String[] {"/v1/events/?user=ann&token=wrong-key-0123456789", null},
                new String[] {"/v1/events/", null})) {
            try (WsProbe p = WsProbe.open(server.port(), r[0], r[1])) {
                assertEquals(List.of(refused), p.untilClosed(), r[0]);
            }
        }
        try (SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/?user=ann&token=wrong", Map.of())) {
            assertEquals(401, sse.status());
        }
        try (SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/",
                Map.of("Authorization", "ApiKey ann:wrong"))) {
            assertEquals(401, sse.status());
        }
    }
}
