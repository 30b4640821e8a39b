package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {
    @TempDir
    Path dir;

    private static final List<String> QUERIES = List.of("?limit=1000", "?state=Success", "?state=In%20progress",
            "?object=/o/1/&include_related=true", "?order_by=end_date&limit=50", "?order_by=id&offset=7",
            "?start_date__gte=1700000100&start_date__lt=1700000400", "?user=u1&order_by=-id");

    @Test
    void restartRebuildsIndexFromJournal() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 120; i++) {
                JsonObject a = rec.record(new JsonObject().put("action", "A" + (i % 4)).put("user", "u" + (i % 3))
                        .put("object", "/o/" + (i % 5) + "/").put("start_date", Long.toString(1_700_000_000L + i * 7L))
                        .put("parents", new io.vertx.core.json.JsonArray().add("/o/" + (i % 2) + "/")));
                String uri = a.getString("resource_uri");
                if (i % 2 == 0) {
                    rec.patch(uri, new JsonObject().put("state", "In progress"));
                    rec.postText(uri + "logs/", "log " + i + "\n");
                }
                if (i % 3 == 0) {
                    rec.patch(uri, new JsonObject().put("state", i % 6 == 0 ? "Success" : "Failed")
                            .put("error", i % 6 == 0 ? "" : "e" + i));
                }
            }
            List<String> before = answers(server.admin());
            server.restart();
            assertEquals(before, answers(server.admin()));
            JsonObject after = server.as("rec").record(new JsonObject().put("action", "after restart"));
            assertEquals(121, after.getLong("id"));
        }
    }

    private static List<String> answers(Client c) {
        return QUERIES.stream().map(q -> {
            JsonObject page = c.get("/api/v1/action/" + q).json();
            StringBuilder sb = new StringBuilder(page.getJsonObject("meta").encode());
            page.getJsonArray("objects").forEach(o -> sb.append(c.get(((JsonObject) o).getString("resource_uri")).body()));
            return sb.toString();
        }).toList();
    }
}
