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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that stops reading fills the TCP buffers, then the socket's write queue, then its outbox; past the
 * outbox bound it is cut off, while a follower that keeps reading gets every line in order. The amount written (16 MB) is well above what all of those can hold together (the
 * 1 MiB outbox of this test; a TCP send buffer that Linux caps at 4 MB by default; a receive buffer that stays
 * near its initial 128 KB while the peer reads nothing), so the cut is certain, not a matter of timing. The
 * outbox's other bound, its count of entries, cuts off a follower of many small ones the same way.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowConsumerTest {
    static final int APPENDS = 256;
    static final int LINES_PER_APPEND = 64;
    static final int LINE_CHARS = 1000;
    static final int EVENTS = 40_000;

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, Map.of("stream.max_pending_bytes", "1048576"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String line(int append, int n) {
        String head = append + "-" + n + "-";
        return head + "x".repeat(LINE_CHARS - head.length());
    }

    @Test
    void aStalledFollowerIsCutOffWhileAnotherReceivesEveryLineInOrder() throws Exception {
        Client recorder = server.addUser("rec", Role.RECORDER);
        String auth = "ApiKey rec:" + server.key("rec");
        JsonObject action = recorder.record(new JsonObject().put("action", "Big").put("state", "In progress"));
        String uri = "/v1/action/" + action.getString("uuid") + "/logs/?tail=0";
        try (WsProbe stalled = WsProbe.openStalled(server.port(), uri, auth);
             WsProbe steady = WsProbe.open(server.port(), uri, auth)) {
            List<String> expected = new ArrayList<>();
            List<String> steadyGot = new ArrayList<>();
            for (int a = 0; a < APPENDS; a++) {
                StringBuilder text = new StringBuilder();
                for (int n = 0; n < LINES_PER_APPEND; n++) {
                    expected.add(line(a, n));
                    text.append(line(a, n)).append('\n');
                }
                assertEquals(200, recorder.postText(action.getString("resource_uri") + "logs/", text.toString())
                        .status());
                // The steady follower reads each append before the next is written, so it is never more than
                // one append (64 KB) behind, however slowly this machine runs it; the stalled one falls ever
                // further behind.
                for (int n = 0; n < LINES_PER_APPEND; n++) {
                    JsonObject frame = steady.next();
                    assertEquals("log", frame.getString("type"), frame.encode());
                    steadyGot.add(frame.getString("log"));
                }
            }
            recorder.patch(action.getString("resource_uri"), new JsonObject().put("state", "Success"));

            steadyGot.addAll(LogStreamTest.lines(steady.untilClosed()));
            assertEquals(expected, steadyGot);
            assertEquals(1000, steady.closeCode());

            stalled.resume();
            List<JsonObject> frames = stalled.untilClosed();
            JsonObject last = frames.remove(frames.size() - 1);
            assertEquals(LogStreamTest.error("SLOW_CONSUMER"), last);
            List<String> got = LogStreamTest.lines(frames);
            assertTrue(got.size() < expected.size(), "cut off before the end: " + got.size());
            assertEquals(expected.subList(0, got.size()), got, "what it got is a gapless prefix");
            assertEquals(1013, stalled.closeCode());
        }
    }
    @Test
    void aStalledFollowerOfManySmallEntriesIsCutOffAtTheEntryBound() throws Exception {
        // Bytes set as high as they go, so that only the count of entries can cut the follower off: 40,000 events
        // of about 2.8 KB each (their parents make them long), some 110 MB, are three times what the TCP buffers
        // (Linux's defaults grow to 4 MiB to send and 6 MiB to receive; 32 MiB on some machines) and the socket's
        // queue hold, and then more than 256 entries wait behind them. Requests of 500 lines; should the loop fall
        // 4,096 behind anyway, the writer lets them go unqueued for a catch-up, and a socket that stays full for a
        // ping period (2 s here) is cut off the same way.
        try (TestServer counted = TestServer.start(dir.resolve("counted"), Map.of("stream.max_pending_entries", "256",
                "stream.max_pending_bytes", String.valueOf(1 << 30), "stream.ping_seconds", "2"))) {
            Client recorder = counted.addUser("rec", Role.RECORDER);
            try (WsProbe stalled = WsProbe.openStalled(counted.port(), "/v1/events/", "ApiKey rec:" + counted.key("rec"))) {
                JsonArray parents = new JsonArray();
                for (int i = 0; i < 8; i++) {
                    parents.add("/api/v1/stack/" + i + "/" + "p".repeat(320) + "/");
                }
                String line = new JsonObject().put("action", "Small").put("parents", parents).encode() + "\n";
                for (int sent = 0; sent < EVENTS; sent += 500) {
                    Client.Response r = recorder.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/action/bulk/",
                            line.repeat(500), "application/x-ndjson");
                    assertEquals(500, r.json().getInteger("accepted"), r.body());
                }
                stalled.resume();
                List<JsonObject> frames = stalled.untilClosed();
                assertEquals(LogStreamTest.error("SLOW_CONSUMER"), frames.get(frames.size() - 1));
                assertTrue(frames.size() - 1 < EVENTS, "cut off before the end: " + (frames.size() - 1));
                assertEquals(1013, stalled.closeCode());
            }
        }
    }

    @Test
    void aFollowerThatKeepsReadingTakesABatchLargerThanItsBoundWhole() throws Exception {
        try (TestServer counted = countedServer("reading", 256)) {
            Client recorder = counted.addUser("rec", Role.RECORDER);
            try (WsProbe reading = WsProbe.open(counted.port(), "/v1/events/", "ApiKey rec:" + counted.key("rec"))) {
                // One bulk request of 1,000 lines reaches the outbox as one or a few writer batches, each past 256.
                bulk(recorder, "Batch", "rec", 1_000);
                for (int i = 0; i < 1_000; i++) {
                    JsonObject frame = reading.next();
                    assertEquals("create", frame.getString("action"), frame.encode());
                }
                assertTrue(!reading.isClosed(), "still followed");
            }
        }
    }

    @Test
    void aFollowerIsNotCutOffForEntriesItsFilterPassesOver() throws Exception {
        // 1,024 may wait: one bulk chunk's 2,048 entries pass that at once (the old outbox cut her off there), and
        // all 12,000 are fewer than the 16 times that her event loop, which drops them unsent, may fall behind.
        try (TestServer counted = countedServer("filtered", 1024)) {
            Client recorder = counted.addUser("rec", Role.RECORDER);
            counted.addUser("alice", Role.USER);
            try (WsProbe alice = WsProbe.open(counted.port(), "/v1/events/", "ApiKey alice:" + counted.key("alice"))) {
                // 12,000 actions of another user's: alice may see none of them, so nothing waits for her.
                bulk(recorder, "Not hers", "bob", 12_000);
                JsonObject hers = recorder.record(new JsonObject().put("action", "Hers").put("user", "alice"));
                JsonObject frame = alice.next();
                assertEquals("create", frame.getString("action"), frame.encode());
                assertEquals(hers.getString("uuid"), frame.getString("uuid"), frame.encode());
            }
        }
    }

    /** A server whose streams may have {@code entries} waiting, bytes as many as they may be. */
    private TestServer countedServer(String name, int entries) throws Exception {
        return TestServer.start(dir.resolve(name), Map.of("stream.max_pending_entries", String.valueOf(entries),
                "stream.max_pending_bytes", String.valueOf(1 << 30)));
    }

    private static void bulk(Client recorder, String action, String user, int lines) {
        String line = new JsonObject().put("action", action).put("user", user).encode() + "\n";
        Client.Response r = recorder.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/action/bulk/",
                line.repeat(lines), "application/x-ndjson");
        assertEquals(lines, r.json().getInteger("accepted"), r.body());
    }
}
