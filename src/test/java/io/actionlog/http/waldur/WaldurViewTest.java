package io.actionlog.http.waldur;

import static io.actionlog.http.waldur.Executions.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One execution as Waldur shows it, and whose executions a caller may see. */
class WaldurViewTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client admin;
    static Client pat;
    static Client quinn;
    static JsonObject failed;
    static JsonObject quinns;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        admin = server.admin();
        pat = Executions.tokenUser(server, "pat");
        quinn = Executions.tokenUser(server, "quinn");
        failed = admin.record(new JsonObject().put("action", "Cluster Create").put("user", "pat")
                .put("state", "Failed").put("start_date", "2026-08-20T13:10:00.25Z")
                .put("error", "quota exceeded").put("metadata", new JsonObject().put("cores", 64).put("zone", "b")));
        quinns = admin.record(Executions.action("quinn", "Cluster Delete", "Success", 1_787_231_400L));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonObject one(Client c, long id) {
        Client.Response r = c.get(BASE + id + "/");
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void anActionRecordedThroughTheTutumFaceShowsWithWaldurKeysInOrder() {
        Client.Response r = pat.get(BASE + failed.getLong("id") + "/");
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("{\"id\":" + failed.getLong("id") + ",\"corrective_action_label\":\"Cluster Create\","
                + "\"executed_at\":\"2026-08-20T13:10:00.250000+00:00\",\"success\":false,"
                + "\"error_message\":\"quota exceeded\","
                + "\"execution_metadata\":\"{\\\"cores\\\":64,\\\"zone\\\":\\\"b\\\"}\"}", r.body());
    }

    @Test
    void executedAtHasNoFractionWhenItIsZeroAndDefaultsAreEmpty() {
        JsonObject q = one(quinn, quinns.getLong("id"));
        assertEquals("2026-08-20T13:10:00+00:00", q.getString("executed_at"));
        assertEquals(true, q.getBoolean("success"));
        assertEquals("", q.getString("error_message"));
        assertEquals("{}", q.getString("execution_metadata"));
    }

    @Test
    void aCanceledActionIsNotASuccess() {
        JsonObject a = admin.record(Executions.action("pat", "Node Stop", "Canceled", 1_787_231_000L));
        assertEquals(false, one(pat, a.getLong("id")).getBoolean("success"));
    }

    @Test
    void anUnfinishedActionHasNoSuccessKeyUntilItEnds() {
        JsonObject a = admin.record(Executions.action("pat", "Node Start", "In progress", 1_787_231_100L));
        long id = a.getLong("id");
        JsonObject running = one(pat, id);
        assertFalse(running.containsKey("success"), running.encode());
        assertEquals(List.of("id", "corrective_action_label", "executed_at", "error_message", "execution_metadata"),
                List.copyOf(running.fieldNames()));
        Client.Response moved = admin.patch("/api/v1/action/" + a.getString("uuid") + "/",
                new JsonObject().put("state", "Success").put("metadata", new JsonObject().put("ok", true)));
        assertEquals(200, moved.status(), moved.body());
        JsonObject done = one(pat, id);
        assertEquals(true, done.getBoolean("success"));
        assertEquals("{\"ok\":true}", done.getString("execution_metadata"));
    }

    @Test
    void aListedExecutionIsByteForByteItsDetailWhateverHappenedToIt() throws Exception {
        Client ren = Executions.tokenUser(server, "ren");
        admin.record(new JsonObject().put("action", "Ünïcode \"quoted\" label").put("user", "ren")
                .put("state", "Failed").put("start_date", "1787231500")
                .put("error", "line one\nline two\tand ‰ tab").put("metadata", new JsonObject().put("ß", "\u0001")));
        JsonObject moved = admin.record(Executions.action("ren", "Node Move", "Pending", 1_787_231_600L));
        String movedUri = "/api/v1/action/" + moved.getString("uuid") + "/";
        assertEquals(200, admin.patch(movedUri, new JsonObject().put("state", "In progress")
                .put("error", "späť \"x\"").put("metadata", new JsonObject().put("tries", 3))).status());
        assertEquals(200, admin.postText(movedUri + "logs/", "after the move\n").status()); // newest: a log
        JsonObject logged = admin.record(Executions.action("ren", "Node Log", "In progress", 1_787_231_700L));
        assertEquals(200, admin.postText("/api/v1/action/" + logged.getString("uuid") + "/logs/", "only logs\n")
                .status());
        admin.record(Executions.action("ren", "Node Plain", "Success", 1_787_231_800L));

        Client.Response list = ren.get(BASE + "?page_size=300");
        List<Long> ids = Executions.ids(list);
        assertEquals(4, ids.size());
        StringBuilder details = new StringBuilder("[");
        for (long id : ids) {
            details.append(details.length() > 1 ? "," : "").append(ren.get(BASE + id + "/").body());
        }
        assertEquals(details.append(']').toString(), list.body());
        assertEquals("späť \"x\"", list.array().getJsonObject(ids.indexOf(moved.getLong("id"))).getString("error_message"));
    }

    @Test
    void twoUsersNeverSeeEachOthersExecutions() {
        List<Long> pats = Executions.ids(pat.get(BASE));
        List<Long> quinnsList = Executions.ids(quinn.get(BASE));
        assertTrue(pats.contains(failed.getLong("id")));
        assertFalse(pats.contains(quinns.getLong("id")));
        assertEquals(List.of(quinns.getLong("id")), quinnsList);
    }

    /** Django keeps a malformed escape in a query as text: the list and the detail alike ignore what they need not. */
    @Test
    void aMalformedEscapeInTheQueryIsKeptAsTextOnTheListAndTheDetail() {
        String id = String.valueOf(failed.getLong("id"));
        String detail = pat.get(BASE + id + "/").body();
        for (String uri : List.of(BASE + id + "/?x=%zz", BASE + id + "?x=%&y=%4", BASE + id + "/?%zz")) {
            Client.Response r = pat.get(uri);
            assertEquals(200, r.status(), uri + ": " + r.body());
            assertEquals(detail, r.body(), uri);
        }
        Client.Response list = pat.get(BASE + "?x=%zz");
        assertEquals(200, list.status(), list.body());
        assertEquals(pat.get(BASE).body(), list.body());
    }

    @Test
    void aForeignIdIsNotFound() {
        Client.Response r = pat.get(BASE + quinns.getLong("id") + "/");
        assertEquals(404, r.status());
        assertEquals("{\"detail\":\"Not found.\"}", r.body());
        assertEquals(404, pat.send(io.vertx.core.http.HttpMethod.HEAD, BASE + quinns.getLong("id") + "/", null, null)
                .status());
    }

    @Test
    void aMissingOrNonNumericIdIsNotFound() {
        for (String id : List.of("999999", "0", "-1", "abc", "1.0", "99999999999999999999")) {
            Client.Response r = pat.get(BASE + id + "/");
            assertEquals(404, r.status(), id);
            assertEquals("{\"detail\":\"Not found.\"}", r.body(), id);
        }
    }

    @Test
    void anAdminStillSeesOnlyItsOwnExecutions() {
        assertEquals(List.of(), Executions.ids(admin.get(BASE)));
        assertEquals(404, admin.get(BASE + failed.getLong("id") + "/").status());
    }

    @Test
    void pathsWithoutTheTrailingSlashAreServedToo() {
        assertEquals(1, Executions.ids(quinn.get("/api/user-action-executions")).size());
        assertEquals(quinns.getLong("id"), quinn.get(BASE + quinns.getLong("id")).json().getLong("id"));
    }

    @Test
    void headOfOneExecutionHasTheHeadersAndNoBody() {
        Client.Response r = quinn.send(io.vertx.core.http.HttpMethod.HEAD, BASE + quinns.getLong("id") + "/",
                null, null);
        assertEquals(200, r.status());
        assertEquals("application/json", r.header("Content-Type"));
        assertEquals("", r.body());
    }
}
