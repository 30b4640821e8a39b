package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/action/stats/: counts per hour or day and state, with the list's filters and the caller's scope. */
class ActionStatsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client admin;
    static Client alice;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        admin = server.admin();
        alice = server.addUser("alice", Role.USER);
        record("alice", "Build", "Success", "2026-03-01T10:05:00Z");
        record("alice", "Build", "Failed", "2026-03-01T10:50:00Z");
        record("alice", "Deploy", "Success", "2026-03-01T12:00:00Z");
        record("bob", "Build", "Success", "2026-03-02T09:00:00Z");
        record("bob", "Deploy", "In progress", "2026-03-04T23:59:59Z");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void record(String user, String action, String state, String start) {
        admin.record(new JsonObject().put("user", user).put("action", action).put("state", state)
                .put("start_date", start));
    }

    private static JsonObject stats(Client c, String query) {
        Client.Response r = c.get("/api/v1/action/stats/?" + query);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void countsPerDayAndStateInTimeOrder() {
        JsonObject s = stats(admin, "interval=day&start_date__gte=2026-03-01T00:00:00Z");
        assertEquals("day", s.getString("interval"));
        assertEquals(5, s.getInteger("total"));
        JsonArray b = s.getJsonArray("buckets");
        assertEquals(3, b.size(), "days without actions are left out");
        assertEquals("2026-03-01T00:00:00+00:00", b.getJsonObject(0).getString("start"));
        assertEquals(3, b.getJsonObject(0).getInteger("total"));
        assertEquals(2, b.getJsonObject(0).getJsonObject("states").getInteger("Success"));
        assertEquals(1, b.getJsonObject(0).getJsonObject("states").getInteger("Failed"));
        assertEquals(0, b.getJsonObject(0).getJsonObject("states").getInteger("Pending"));
        assertEquals("2026-03-04T00:00:00+00:00", b.getJsonObject(2).getString("start"));
        assertEquals(1, b.getJsonObject(2).getJsonObject("states").getInteger("In progress"));
    }

    @Test
    void hourBucketsSplitADay() {
        JsonObject s = stats(admin, "interval=hour&start_date__gte=2026-03-01&start_date__lt=2026-03-02");
        JsonArray b = s.getJsonArray("buckets");
        assertEquals(2, b.size());
        assertEquals("2026-03-01T10:00:00+00:00", b.getJsonObject(0).getString("start"));
        assertEquals(2, b.getJsonObject(0).getInteger("total"));
        assertEquals("2026-03-01T12:00:00+00:00", b.getJsonObject(1).getString("start"));
    }

    @Test
    void theListsFiltersApplyAndTheTotalIsTheListsTotal() {
        String filters = "state=Success&action=Build&start_date__gte=2026-03-01";
        JsonObject s = stats(admin, "interval=day&" + filters);
        assertEquals(2, s.getInteger("total"));
        assertEquals(admin.get("/api/v1/action/?" + filters).json().getJsonObject("meta").getInteger("total_count"),
                s.getInteger("total"));
    }

    @Test
    void aUserCountsOnlyTheirOwnActions() {
        JsonObject s = stats(alice, "interval=day&user=bob");
        assertEquals(0, s.getInteger("total"), "asking for another user's actions widens nothing");
        assertEquals(3, stats(alice, "interval=day").getInteger("total"));
    }

    @Test
    void aUuidPrefixWithinTheIndexIsAFilter() {
        String uuid = admin.get("/api/v1/action/?user=bob&state=Success").json().getJsonArray("objects")
                .getJsonObject(0).getString("uuid");
        assertEquals(1, stats(admin, "uuid__startswith=" + uuid.substring(0, 18)).getInteger("total"));
    }

    @Test
    void badParametersAreRefusedByName() {
        Client.Response interval = admin.get("/api/v1/action/stats/?interval=week");
        assertEquals(400, interval.status());
        assertTrue(interval.json().getString("error").startsWith("interval:"));
        Client.Response exact = admin.get("/api/v1/action/stats/?uuid=00000000-0000-4000-8000-000000000000");
        assertEquals(400, exact.status());
        assertTrue(exact.json().getString("error").startsWith("uuid:"));
        assertEquals(400, admin.get("/api/v1/action/stats/?state=Nope").status());
        assertEquals(401, server.withHeader(null).get("/api/v1/action/stats/").status());
    }
}
