package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tastypie clients often drop the final slash: every Tutum route answers the same without it. */
class TrailingSlashTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyTutumRouteAnswersWithoutTheFinalSlash() {
        Client.Response created = recorder.post("/api/v1/action", new JsonObject().put("action", "no slash"));
        assertEquals(201, created.status(), created.body());
        String uri = created.json().getString("resource_uri");
        String bare = uri.substring(0, uri.length() - 1);
        assertEquals(200, recorder.get(bare).status());
        assertEquals(1, recorder.get("/api/v1/action?action=no+slash").json().getJsonObject("meta")
                .getInteger("total_count"));
        assertEquals(200, recorder.send(HttpMethod.POST, bare + "/logs", "line\n", "text/plain").status());
        assertEquals(200, recorder.patch(bare, new JsonObject().put("state", "Success")).status());
        assertEquals(201, server.admin().send(HttpMethod.POST, bare + "/retry", "", "application/json").status());
        assertEquals("line\n", recorder.get(bare).json().getString("logs"));
    }

    @Test
    void theQueryStringSurvivesAndPagingLinksKeepTheSlash() {
        recorder.record(new JsonObject().put("action", "paged"));
        recorder.record(new JsonObject().put("action", "paged"));
        JsonObject meta = recorder.get("/api/v1/action?action=paged&limit=1").json().getJsonObject("meta");
        assertEquals(2, meta.getInteger("total_count"));
        assertEquals("/api/v1/action/?action=paged&limit=1&offset=1", meta.getString("next"));
    }

    @Test
    void bulkIngestWithoutTheSlashReadsTheWholeBody() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            lines.append("{\"action\":\"bulk no slash\",\"path\":\"/").append("p".repeat(100)).append("\"}\n");
        }
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk", lines.toString(),
                "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        assertEquals(5000, r.json().getInteger("created"), r.body());
    }

    @Test
    void anUnknownPathIsStill404() {
        assertEquals(404, recorder.get("/api/v1/nothing").status());
        assertEquals(404, recorder.get("/api/v1/action/not-a-uuid/what").status());
    }
}
