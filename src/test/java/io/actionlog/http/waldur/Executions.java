package io.actionlog.http.waldur;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Shared steps of the Waldur face tests: users that speak Token auth, recording through the Tutum face. */
final class Executions {
    static final String BASE = "/api/user-action-executions/";

    private Executions() {
    }

    /** A user credential, addressed with {@code Authorization: Token <key>} as Waldur's clients do. */
    static Client tokenUser(TestServer server, String name) throws IOException, InterruptedException {
        server.addUser(name, Role.USER);
        return server.withHeader("Token " + server.key(name));
    }

    static JsonObject action(String user, String label, String state, long startSeconds) {
        return new JsonObject().put("action", label).put("user", user).put("state", state)
                .put("start_date", Long.toString(startSeconds));
    }

    static List<Long> ids(Client.Response r) {
        assertEquals(200, r.status(), r.body());
        List<Long> ids = new ArrayList<>();
        JsonArray array = r.array();
        for (int i = 0; i < array.size(); i++) {
            ids.add(array.getJsonObject(i).getLong("id"));
        }
        return ids;
    }

    static String origin(TestServer server) {
        return "http://127.0.0.1:" + server.port();
    }
}
