package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two users with actions on the same object: neither can learn anything about the other's, by any route. */
class IsolationTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client ann;
    static Client bob;
    static JsonObject bobs;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        Client recorder = server.addUser("rec", Role.RECORDER);
        ann = server.addUser("ann", Role.USER);
        bob = server.addUser("bob", Role.USER);
        for (int i = 0; i < 3; i++) {
            recorder.record(new JsonObject().put("action", "A").put("user", "ann").put("object", "/shared/"));
        }
        bobs = recorder.record(new JsonObject().put("action", "B").put("user", "bob").put("object", "/shared/")
                .put("state", "Failed"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long total(Client c, String query) {
        return c.get("/api/v1/action/" + query).json().getJsonObject("meta").getLong("total_count");
    }

    @Test
    void listsShowOnlyTheCallersOwnActions() {
        assertEquals(3, total(ann, ""));
        assertEquals(1, total(bob, ""));
        assertEquals(3, total(ann, "?object=/shared/"));
        assertEquals(3, total(ann, "?object=/shared/&include_related=true"));
    }

    @Test
    void noParameterWidensAUsersView() {
        assertEquals(0, total(ann, "?user=bob"));
        assertEquals(0, total(ann, "?uuid=" + bobs.getString("uuid")));
        assertEquals(0, total(ann, "?uuid__startswith=" + bobs.getString("uuid").substring(0, 8)
                + "&action=B"));
        assertEquals(0, total(ann, "?action=B"));
        assertEquals(0, total(ann, "?state=Failed"));
    }

    @Test
    void foreignActionIs404NotForbiddenOnEveryRoute() {
        String uri = bobs.getString("resource_uri");
        Client.Response r = ann.get(uri);
        assertEquals(404, r.status());
        assertEquals("Not found.", r.json().getString("error"));
        assertEquals(404, ann.post(uri + "cancel/", null).status());
        assertEquals(404, ann.post(uri + "retry/", null).status());
        assertEquals(200, bob.get(uri).status());
    }
}
