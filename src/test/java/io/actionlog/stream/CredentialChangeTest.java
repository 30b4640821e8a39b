package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream lives only as long as the credential it opened with: rotating or removing it (from another process, as
 * the command line does) closes that credential's open streams with UNAUTHORIZED, and only those.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CredentialChangeTest {
    private static final JsonObject UNAUTHORIZED = LogStreamTest.error("UNAUTHORIZED");

    @TempDir
    Path dir;

    @Test
    void rotatingACredentialClosesItsOpenStreamsWithUnauthorized() throws Exception {
        closesStreamsWhen((store) -> store.rotate("ann", null, false));
    }

    @Test
    void removingACredentialClosesItsOpenStreamsWithUnauthorized() throws Exception {
        closesStreamsWhen((store) -> store.remove("ann", false));
    }

    @Test
    void auditorsFollowCredentialChangesOnBothStreams() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("audit.credential_changes", "journal"))) {
            server.addUser("aud", Role.AUDITOR);
            String aud = "ApiKey aud:" + server.key("aud");
            try (WsProbe events = WsProbe.open(server.port(), "/v1/events/?object=/credentials/dave/", aud);
                 SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/?object=/credentials/dave/",
                         Map.of("Authorization", aud))) {
                assertEquals(200, sse.status());
                assertEquals(0, Cli.run("credential", "add", "dave", "--data-dir", dir.toString()).code());

                JsonObject frame = events.next();
                assertEquals("create", frame.getString("action"), frame.encode());
                String uuid = server.as("aud").get("/api/v1/action/?object=/credentials/dave/").json()
                        .getJsonArray("objects").getJsonObject(0).getString("uuid");
                assertEquals(uuid, frame.getString("uuid"));
                assertEquals(uuid, sse.next().data().getString("uuid"));
            }
        }
    }

    @FunctionalInterface
    private interface Change {
        void apply(CredentialStore store) throws Exception;
    }

    private void closesStreamsWhen(Change change) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("ann", Role.USER);
            server.addUser("bob", Role.USER);
            JsonObject running = recorder.record(new JsonObject().put("action", "Deploy").put("user", "ann")
                    .put("state", "In progress"));
            String ann = "ApiKey ann:" + server.key("ann");
            String bob = "ApiKey bob:" + server.key("bob");
            try (WsProbe events = WsProbe.open(server.port(), "/v1/events/", ann);
                 WsProbe logs = WsProbe.open(server.port(), "/v1/action/" + running.getString("uuid") + "/logs/", ann);
                 SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/", Map.of("Authorization", ann));
                 WsProbe others = WsProbe.open(server.port(), "/v1/events/", bob)) {
                assertEquals(200, sse.status());
                JsonObject before = recorder.record(new JsonObject().put("action", "Build").put("user", "ann"));
                assertEquals(before.getString("uuid"), events.next().getString("uuid"), "the stream works");
                assertEquals(before.getString("uuid"), sse.next().data().getString("uuid"));

                change.apply(CredentialStore.open(server.dir(), TestServer.ADMIN_KEY));
                server.reloadCredentials();

                assertEquals(List.of(UNAUTHORIZED), events.untilClosed());
                assertEquals(List.of(UNAUTHORIZED), logs.untilClosed());
                SseProbe.Event error = sse.next();
                assertEquals("error", error.name());
                assertEquals(UNAUTHORIZED, error.data());
                sse.awaitEnd();

                JsonObject bobs = recorder.record(new JsonObject().put("action", "Build").put("user", "bob"));
                assertEquals(bobs.getString("uuid"), others.next().getString("uuid"), "other credentials go on");
            }
            try (WsProbe again = WsProbe.open(server.port(), "/v1/events/", ann)) {
                assertEquals(List.of(UNAUTHORIZED), again.untilClosed(), "and the old key opens nothing new");
            }
        }
    }
}
