package io.actionlog.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A server with {@code retention.days} 30 and two journal day files: the first holds {@link #OLD} finished actions
 * of long ago (loaded by bulk, as a backfill of history would be), one unfinished action as old, with a state change
 * and logs ({@link #running}), and one that ended yesterday ({@link #recent}); the second, a day later, holds one new
 * action ({@link #fresh}). A retention run then expires the old ones and drops the first file, carrying the two
 * others forward.
 */
public final class RetentionScenario {
    public static final int OLD = 40;
    public static final String EXECUTIONS = "/api/user-action-executions/";

    public final DayClock clock = new DayClock(5);
    public final Path dir;
    public final Map<String, String> settings;
    public TestServer server;
    public Client recorder;
    public final List<String> oldUuids = new ArrayList<>();
    public JsonObject running;
    public JsonObject recent;
    public JsonObject fresh;

    private RetentionScenario(Path dir, Map<String, String> settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** Starts the server and records the two days; {@code extra} settings win over retention.days 30. */
    public static RetentionScenario start(Path dir, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("retention.days", "30"));
        settings.putAll(extra);
        RetentionScenario s = new RetentionScenario(dir, settings);
        s.server = TestServer.start(dir, settings, s.clock);
        s.recorder = s.server.addUser("rec", Role.RECORDER);
        s.server.addUser("ann", Role.USER);
        s.server.addUser("bob", Role.USER);
        s.recordTwoDays();
        return s;
    }

    private void recordTwoDays() {
        String longAgo = iso(Instant.now().minus(400, ChronoUnit.DAYS));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < OLD; i++) {
            String uuid = UUID.randomUUID().toString();
            oldUuids.add(uuid);
            lines.append(new JsonObject().put("uuid", uuid).put("action", "Old " + i).put("user", "ann")
                    .put("object", "/old/").put("state", "Success").put("start_date", longAgo)
                    .put("end_date", longAgo).encode()).append('\n');
        }
        Client.Response bulk = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                "application/x-ndjson");
        assertEquals(200, bulk.status(), bulk.body());
        running = recorder.record(new JsonObject().put("action", "Still running").put("user", "ann")
                .put("object", "/old/").put("start_date", longAgo).put("logs", "started\n"));
        assertEquals(200, recorder.patch(uri(running), new JsonObject().put("state", "In progress")
                .put("metadata", new JsonObject().put("step", 1))).status());
        assertEquals(200, recorder.postText(uri(running) + "logs/", "step one\n").status());
        String yesterday = iso(Instant.now().minus(1, ChronoUnit.DAYS));
        recent = recorder.record(new JsonObject().put("action", "Ended yesterday").put("user", "bob")
                .put("state", "Failed").put("error", "boom").put("start_date", yesterday).put("end_date", yesterday));
        clock.nextDay();
        fresh = recorder.record(new JsonObject().put("action", "New today").put("user", "bob"));
    }

    public static String iso(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static String uri(JsonObject action) {
        return "/api/v1/action/" + action.getString("uuid") + "/";
    }

    /** The admin's POST to the retention route; fails the test unless it answers 200. */
    public JsonObject runRetention() {
        Client.Response r = server.admin().post("/api/v1/admin/retention/", new JsonObject());
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /**
     * Both faces' detail of an action, as bytes: what must not change when it is carried forward. The Waldur face
     * shows a user their own actions, by id.
     */
    public String faces(JsonObject action) {
        String tutum = server.admin().get(uri(action)).body();
        String waldur = server.as(action.getString("user")).get(EXECUTIONS + action.getLong("id") + "/").body();
        return tutum + "\n" + waldur;
    }

    /** Restarts the server on the same directory, with the same settings and day clock. */
    public void restart() throws Exception {
        server.restart();
        recorder = server.as("rec");
    }
}
