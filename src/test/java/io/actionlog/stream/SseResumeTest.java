package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SseResumeTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        server.addUser("ann", Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> auth(String name) {
        return Map.of("Authorization", "ApiKey " + name + ":" + server.key(name));
    }

    /** Records n actions (every third bob's) and moves each to In progress; returns the last, always ann's. */
    static JsonObject burst(String tag, int n) {
        JsonObject a = null;
        for (int i = 0; i < n; i++) {
            a = recorder.record(new JsonObject().put("action", tag + i).put("user", i % 3 == 1 ? "bob" : "ann"));
            recorder.patch(a.getString("resource_uri"), new JsonObject().put("state", "In progress"));
        }
        return a;
    }

    /** Events up to and including the update of {@code last} (its second event). */
    static List<SseProbe.Event> until(SseProbe p, JsonObject last) throws InterruptedException {
        List<SseProbe.Event> seen = new ArrayList<>();
        while (true) {
            SseProbe.Event e = p.next();
            seen.add(e);
            if (e.data().getString("uuid").equals(last.getString("uuid")) && e.data().getString("action").equals("update")) {
                return seen;
            }
        }
    }

    static List<String> keys(List<SseProbe.Event> events) {
        List<String> out = new ArrayList<>();
        long previous = -1;
        for (SseProbe.Event e : events) {
            assertTrue(e.id() > previous, "ids rise: " + previous + " then " + e.id());
            previous = e.id();
            out.add(e.id() + " " + e.data().getString("action") + " " + e.data().getString("uuid"));
        }
        return out;
    }

    @Test
    void resumingWithLastEventIdMissesNothingAndRepeatsNothing() throws Exception {
        resume("aud-header", "auditor", lastId -> SseProbe.open(server.port(), "/api/v1/events/",
                Map.of("Authorization", auth("admin").get("Authorization"), "Last-Event-ID", Long.toString(lastId))));
    }

    @Test
    void resumingWithTheQueryParameterWorksTheSameForAFilteredUser() throws Exception {
        resume("ann-query", "ann", lastId -> SseProbe.open(server.port(),
                "/api/v1/events/?user=ann&token=" + server.key("ann") + "&last_event_id=" + lastId, Map.of()));
    }

    interface Reopen {
        SseProbe open(long lastId) throws Exception;
    }

    /**
     * A reference stream stays open throughout; a second one reads part of the events, disconnects while more are
     * recorded, and resumes while yet more are being recorded. Together its two halves must be the reference.
     */
    private void resume(String tag, String who, Reopen reopen) throws Exception {
        Map<String, String> headers = who.equals("ann") ? auth("ann") : auth("admin");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SseProbe reference = SseProbe.open(server.port(), "/api/v1/events/", headers)) {
            assertEquals(200, reference.status());
            assertTrue(reference.header("Content-Type").startsWith("text/event-stream"));
            List<SseProbe.Event> firstHalf = new ArrayList<>();
            long lastId;
            try (SseProbe first = SseProbe.open(server.port(), "/api/v1/events/", headers)) {
                burst(tag + "-a", 6);
                for (int i = 0; i < 5; i++) {
                    firstHalf.add(first.next());
                }
                lastId = firstHalf.get(firstHalf.size() - 1).id();
            }
            burst(tag + "-b", 6);
            Future<JsonObject> during = pool.submit(() -> burst(tag + "-c", 10));
            List<SseProbe.Event> secondHalf;
            try (SseProbe resumed = reopen.open(lastId)) {
                assertEquals(200, resumed.status());
                JsonObject last = during.get(60, TimeUnit.SECONDS);
                secondHalf = until(resumed, last);
            }
            JsonObject last = during.get();
            List<SseProbe.Event> whole = new ArrayList<>(firstHalf);
            whole.addAll(secondHalf);
            List<SseProbe.Event> expected = until(reference, last);
            assertEquals(keys(expected), keys(whole));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void lastEventIdMinusOneReplaysTheJournalFromItsFirstEntry() throws Exception {
        recorder.record(new JsonObject().put("action", "at least one"));
        try (SseProbe p = SseProbe.open(server.port(), "/api/v1/events/?last_event_id=-1", auth("admin"))) {
            assertEquals(200, p.status());
            SseProbe.Event first = p.next();
            assertEquals(0, first.id());
            assertEquals("create", first.data().getString("action"));
        }
    }

    @Test
    void anUnknownTypeIsABadRequestNamingTheParameter() throws Exception {
        for (String type : List.of("bogus", "log")) {
            try (SseProbe p = SseProbe.open(server.port(), "/api/v1/events/?type=" + type, auth("admin"))) {
                assertEquals(400, p.status(), type);
            }
            Client.Response r = server.admin().get("/api/v1/events/?type=" + type);
            assertEquals(400, r.status(), type);
            assertTrue(r.json().getString("error").startsWith("type:"), r.body());
        }
    }

    @Test
    void anUnknownLastEventIdIsABadRequest() throws Exception {
        for (String id : List.of("abc", "-2", "999999999")) {
            Map<String, String> headers = Map.of("Authorization", auth("admin").get("Authorization"),
                    "Last-Event-ID", id);
            try (SseProbe p = SseProbe.open(server.port(), "/api/v1/events/", headers)) {
                assertEquals(400, p.status(), id);
            }
        }
    }
}
