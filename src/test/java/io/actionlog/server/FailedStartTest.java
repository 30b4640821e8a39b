package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.config.Config;
import io.actionlog.http.OutOfMemory;
import io.actionlog.integrity.SigningKey;
import io.actionlog.support.FailingLine;
import io.actionlog.support.Leftovers;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails gives back everything it started, so that the same JVM can start a server again on the same
 * data directory: no thread of the failed start runs on, no file of the directory stays open, and the journal holds
 * only what a start writes.
 */
class FailedStartTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    @Test
    void aStartThatFailsAtItsLastStepLeavesNothingRunningAndTheDirectoryStartsAgain() throws Exception {
        Map<String, String> journaled = Map.of("audit.credential_changes", "journal");
        Leftovers leftovers = Leftovers.from(dir);
        // The last step of a start: everything (writer, tree, checkpoints, timers, port) has started by then.
        try (FailingLine line = FailingLine.on(Server.class.getName(), " listening on ")) {
            Exception failure = assertThrows(IllegalStateException.class, () -> start(journaled).close());
            assertSame(line.thrown(), failure, "the start's own failure, as it was");
        }
        leftovers.awaitNone(30);

        // Added while no server runs: the next start records it before it serves.
        String recorder = CredentialStore.open(dir, TestServer.ADMIN_KEY).add("rec", Role.RECORDER);
        try (TestServer server = TestServer.start(dir, journaled)) {
            server.know("rec", recorder).record(new JsonObject().put("action", "A").put("object", "/o/1/"));
            List<String> objects = server.admin().get("/api/v1/action/?order_by=id").json().getJsonArray("objects")
                    .stream().map(o -> ((JsonObject) o).getString("object")).toList();
            // The failed start recorded the bootstrap admin, as any first start does; the next did not again.
            assertEquals(List.of("/credentials/admin/", "/credentials/rec/", "/o/1/"), objects);
        }
    }

    @Test
    void aCheckpointLogOfAnotherOriginEndsTheStartWithTheTreeClosed() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.addUser("rec", Role.RECORDER).record(new JsonObject().put("action", "A").put("object", "/o/1/"));
        }
        Path key = elsewhere.resolve("other.key");
        SigningKey.loadOrCreate(key, "other");
        Leftovers leftovers = Leftovers.from(dir);
        Exception failure = assertThrows(IllegalStateException.class,
                () -> start(Map.of("integrity.origin", "other", "integrity.key_file", key.toString())).close());
        assertTrue(failure.getMessage().contains("not of integrity.origin 'other'"), failure.getMessage());
        leftovers.awaitNone(30);

        try (TestServer server = TestServer.start(dir)) {
            assertEquals(1, server.admin().get("/api/v1/action/").json().getJsonArray("objects").size());
        }
    }

    private Server start(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", dir.toString(), "auth.admin_key", TestServer.ADMIN_KEY));
        settings.putAll(extra);
        return Server.start(Config.of(settings), OutOfMemory.loggingOnly());
    }
}
