package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk request's worker writes each action's leaf but for the id, and the writer hashes it with the id it gives:
 * after single actions, state changes and bulk requests whose ids cross from one to two and from two to three
 * digits, with texts that need escapes, non-ASCII texts and nulls, {@code verify} recomputes every leaf from the
 * journal alone and finds the tree the server kept.
 */
class BulkLeavesVerifyTest {
    @TempDir
    Path dir;

    @Test
    void leavesWrittenAheadByBulkWorkersVerifyFromTheJournalAlone() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            String first = rec.record(new JsonObject().put("action", "Single").put("user", "solo"))
                    .getString("resource_uri");
            assertEquals(200, rec.patch(first, new JsonObject().put("state", "In progress")).status());
            for (int request = 0; request < 2; request++) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 70; i++) {
                    lines.append(line(request * 70 + i)).append('\n');
                }
                JsonObject r = rec.send(HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                        "application/x-ndjson").json();
                assertEquals(70, r.getInteger("accepted"), r.encode());
            }
            rec.record(new JsonObject().put("action", "Single after").put("user", "solo"));
        }
        Cli run = Cli.run("verify", "--data-dir", dir.toString());
        assertEquals(0, run.code(), run.err());
        // 142 actions and one state change.
        assertTrue(run.out().contains("tree_size 143\n"), run.out());
        assertTrue(run.out().contains("integrity ok"), run.out());
    }

    private static String line(int i) {
        JsonObject a = new JsonObject().put("action", i % 3 == 0 ? "Scale \"web\"" : "Déployer ✓")
                .put("user", "user" + i % 7).put("object", "/api/v1/service/" + i + "/")
                .put("parents", new JsonArray().add("/api/v1/stack/" + i % 4 + "/").add("/p/\u20ac/"))
                .put("ip", "10.0.0." + i % 5).put("location", i % 2 == 0 ? "Tallinn, EE" : null)
                .put("user_agent", "agent\t" + i % 3).put("body", new JsonObject().put("n", i).put("é", "\u2028"))
                .put("state", i % 4 == 0 ? "Pending" : "Success").put("error", i % 5 == 0 ? "line\nbreak" : "")
                .put("metadata", new JsonObject().put("z", i).put("a", "\uD83D\uDE00"));
        if (i % 6 == 0) {
            a.put("logs", "log " + i + " ünïcødé\n");
        }
        return a.encode();
    }
}
