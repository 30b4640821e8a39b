package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An action's logs can grow far beyond what one response should hold: the detail and the replies to writes show
 * their end only (http.detail_log_bytes, small here), with a line saying so, and GET .../logs/ streams all of them.
 */
class BoundedLogsTest {
    private static final int DETAIL_LOG_BYTES = 4096;
    /** Room for every field of an action but its logs, in these tests. */
    private static final int REST_OF_DETAIL = 2048;

    @TempDir
    Path dir;
    private TestServer server;
    private Client admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, Map.of("http.detail_log_bytes", Integer.toString(DETAIL_LOG_BYTES)));
        admin = server.admin();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Records an action In progress and appends {@code appends} pieces of about 64 KiB; returns all its logs. */
    private String actionWithLogs(String uuid, int appends) {
        admin.record(new JsonObject().put("uuid", uuid).put("action", "Big Logs").put("user", "alice")
                .put("state", "In progress").put("logs", "started\n"));
        StringBuilder all = new StringBuilder("started\n");
        for (int i = 0; i < appends; i++) {
            StringBuilder piece = new StringBuilder();
            while (piece.length() < 64 * 1024) {
                // Multi-byte characters, and a line split across appends now and then.
                piece.append("append ").append(i).append(" line ").append(piece.length()).append(" é € 😀")
                        .append(piece.length() % 7 == 0 ? "" : "\n");
            }
            assertEquals(200, admin.postText("/api/v1/action/" + uuid + "/logs/", piece.toString()).status());
            all.append(piece);
        }
        return all.toString();
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The logs of a cut detail: the marker line, then a suffix of {@code all} that starts a line. */
    private static void assertCutTail(String all, JsonObject detail, String uuid) {
        assertTrue(detail.getBoolean("logs_truncated"));
        String logs = detail.getString("logs");
        String marker = logs.substring(0, logs.indexOf('\n') + 1);
        assertTrue(marker.startsWith("[earlier logs left out: the last "), marker);
        assertTrue(marker.endsWith("all logs: GET /api/v1/action/" + uuid + "/logs/]\n"), marker);
        String tail = logs.substring(marker.length());
        assertTrue(bytes(tail) <= DETAIL_LOG_BYTES && bytes(tail) > DETAIL_LOG_BYTES / 2, "tail of " + bytes(tail));
        assertTrue(all.endsWith(tail));
        assertEquals('\n', all.charAt(all.length() - tail.length() - 1), "the tail starts a line");
        assertTrue(marker.contains(" " + bytes(tail) + " bytes follow"), marker);
    }

    @Test
    void detailShowsTheEndOfLargeLogsWithAMarker() {
        String uuid = "00000000-0000-4000-8000-000000000001";
        String all = actionWithLogs(uuid, 50);
        Client.Response r = admin.get("/api/v1/action/" + uuid + "/");
        assertEquals(200, r.status());
        assertTrue(bytes(r.body()) < DETAIL_LOG_BYTES + REST_OF_DETAIL, "detail of " + bytes(r.body()) + " bytes");
        assertCutTail(all, r.json(), uuid);
    }

    @Test
    void repliesToWritesCarryOnlyTheEndOfTheLogs() {
        String uuid = "00000000-0000-4000-8000-000000000002";
        String all = actionWithLogs(uuid, 50);
        Client.Response canceled = admin.post("/api/v1/action/" + uuid + "/cancel/", null);
        assertEquals(200, canceled.status(), canceled.body());
        assertTrue(bytes(canceled.body()) < DETAIL_LOG_BYTES + REST_OF_DETAIL);
        assertCutTail(all, canceled.json(), uuid);
        Client.Response patched = admin.patch("/api/v1/action/" + uuid + "/",
                new JsonObject().put("state", "Canceled").put("error", "stopped"));
        assertEquals(200, patched.status(), patched.body());
        assertTrue(bytes(patched.body()) < DETAIL_LOG_BYTES + REST_OF_DETAIL);
        assertCutTail(all, patched.json(), uuid);
        Client.Response retried = admin.post("/api/v1/action/" + uuid + "/retry/", null);
        assertEquals(201, retried.status(), retried.body());
        assertEquals("", retried.json().getString("logs"));
        assertFalse(retried.json().getBoolean("logs_truncated"));
    }

    @Test
    void theLogsRouteStreamsEveryByteInOrder() {
        String uuid = "00000000-0000-4000-8000-000000000003";
        String all = actionWithLogs(uuid, 50);
        admin.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success"));
        Client.Response r = admin.get("/api/v1/action/" + uuid + "/logs/");
        assertEquals(200, r.status());
        assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        assertEquals(bytes(all), bytes(r.body()));
        assertEquals(all, r.body());
    }

    @Test
    void oneLongLineIsCutAtAWholeCharacter() {
        String uuid = "00000000-0000-4000-8000-000000000004";
        String line = "€".repeat(100_000);
        admin.record(new JsonObject().put("uuid", uuid).put("action", "One Line").put("logs", line));
        JsonObject detail = admin.get("/api/v1/action/" + uuid + "/").json();
        String logs = detail.getString("logs");
        String tail = logs.substring(logs.indexOf('\n') + 1);
        assertTrue(detail.getBoolean("logs_truncated"));
        assertEquals("€".repeat(DETAIL_LOG_BYTES / 3), tail);
        assertEquals(line, admin.get("/api/v1/action/" + uuid + "/logs/").body());
    }

    @Test
    void smallLogsAreShownWholeAndTheLogsRouteFollowsDetailAccess() throws Exception {
        String uuid = "00000000-0000-4000-8000-000000000005";
        admin.record(new JsonObject().put("uuid", uuid).put("action", "Small").put("user", "alice")
                .put("state", "In progress").put("logs", "one\n"));
        admin.postText("/api/v1/action/" + uuid + "/logs/", "two\n");
        JsonObject detail = admin.get("/api/v1/action/" + uuid + "/").json();
        assertEquals("one\ntwo\n", detail.getString("logs"));
        assertFalse(detail.getBoolean("logs_truncated"));
        assertEquals("one\ntwo\n", server.addUser("alice", Role.USER).get("/api/v1/action/" + uuid + "/logs/").body());
        assertEquals(404, server.addUser("bob", Role.USER).get("/api/v1/action/" + uuid + "/logs/").status());
        assertEquals(404, admin.get("/api/v1/action/00000000-0000-4000-8000-0000000000ff/logs/").status());
        Client.Response empty = admin.get("/api/v1/action/"
                + admin.record(new JsonObject().put("action", "No Logs")).getString("uuid") + "/logs/");
        assertEquals(200, empty.status());
        assertEquals("", empty.body());
    }

    /** An empty append adds nothing: it answers as any append does and writes no entry a detail would read back. */
    @Test
    void anEmptyAppendWritesNothing() {
        String uuid = "00000000-0000-4000-8000-000000000006";
        admin.record(new JsonObject().put("uuid", uuid).put("action", "Empty Appends").put("logs", "one\n"));
        long entries = server.withHeader(null).get("/health").json().getLong("journal_entries");
        for (int i = 0; i < 3; i++) {
            Client.Response r = admin.postText("/api/v1/action/" + uuid + "/logs/", "");
            assertEquals(200, r.status(), r.body());
            assertEquals(uuid, r.json().getString("uuid"));
        }
        assertEquals(entries, server.withHeader(null).get("/health").json().getLong("journal_entries"));
        assertEquals("one\n", admin.get("/api/v1/action/" + uuid + "/").json().getString("logs"));
        admin.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success"));
        assertEquals(409, admin.postText("/api/v1/action/" + uuid + "/logs/", "").status());
    }
}
