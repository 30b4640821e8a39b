package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text filter given empty matches the actions recorded without that text, as Tastypie's exact match of the empty
 * string does: there is no other way to list the actions that name no object, address or method.
 */
class EmptyTextFiltersTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyTextFilterFindsTheActionsRecordedWithoutThatText() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client admin = server.admin();
            admin.record(new JsonObject().put("action", "Bare"));
            admin.record(new JsonObject().put("action", "Bare").put("object", "/o/1/").put("method", "POST"));
            admin.record(new JsonObject().put("action", "Bare").put("ip", "10.0.0.1").put("parents",
                    new JsonArray().add("/o/1/")));
            assertEquals(List.of(2L, 1L), totals(admin, "?object=", "?object=/o/1/"));
            assertEquals(List.of(2L, 1L), totals(admin, "?method=", "?method=post"));
            assertEquals(List.of(2L, 1L), totals(admin, "?ip=", "?ip=10.0.0.1"));
            assertEquals(List.of(1L, 1L), totals(admin, "?object=&method=&ip=", "?object=&ip=10.0.0.1"));
            assertEquals(List.of(0L, 0L), totals(admin, "?action=", "?user="));
            // Related: the empty text is no parent, so it adds nothing.
            assertEquals(2L, totals(admin, "?object=&include_related=true").get(0));
            // The same filter for the stats and the export.
            JsonObject stats = admin.get("/api/v1/action/stats/?object=&interval=day").json();
            assertEquals(2, stats.getInteger("total"), stats.encode());
            String export = admin.get("/api/v1/action/export/?format=ndjson&object=").body();
            assertEquals(2, export.lines().count(), export);
        }
        try (TestServer server = TestServer.start(dir)) {
            // Replayed from the journal, the same answers.
            assertEquals(List.of(2L, 2L, 2L), totals(server.admin(), "?object=", "?method=", "?ip="));
        }
    }

    private static List<Long> totals(Client c, String... queries) {
        return java.util.Arrays.stream(queries).map(q -> {
            Client.Response r = c.get("/api/v1/action/" + q);
            assertEquals(200, r.status(), q + ": " + r.body());
            return r.json().getJsonObject("meta").getLong("total_count");
        }).toList();
    }
}
