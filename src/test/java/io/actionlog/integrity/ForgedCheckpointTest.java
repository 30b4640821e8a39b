package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint log is a file: one edited while the server was stopped must not be served as its word. A latest
 * checkpoint whose signature does not verify is kept (verify reports it) and signed anew; an older one is not found
 * for {@code ?tree_size=N}.
 */
class ForgedCheckpointTest {
    @TempDir
    Path dir;

    private static String record(TestServer server, int i) {
        return server.admin().record(new JsonObject().put("action", "A" + i).put("user", "u"))
                .getString("resource_uri");
    }

    /** The log with one character of the signature of the checkpoint of {@code size} changed. */
    private void forge(long size) throws Exception {
        Path file = Integrity.checkpointFile(dir);
        String log = Files.readString(file);
        String note = CheckpointLog.openReadOnly(file, "actionlog").find(size).note();
        int sig = note.lastIndexOf(' ') + 10;
        char c = note.charAt(sig);
        String forged = note.substring(0, sig) + (c == 'A' ? 'B' : 'A') + note.substring(sig + 1);
        assertTrue(log.contains(note));
        Files.writeString(file, log.replace(note, forged));
    }

    @Test
    void aLatestCheckpointThatDoesNotVerifyIsKeptButNotServedAndIsSignedAnew() throws Exception {
        try (TestServer server = TestServer.start(dir);
             LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
            String uri = record(server, 0);
            record(server, 1);
            server.restart(() -> forge(2));
            assertTrue(log.any("the latest checkpoint in the log, of size 2, does not vouch for the journal: its "
                    + "signature does not verify"), log.messages().toString());
            Client anyone = server.withHeader(null);
            VerifierKey key = VerifierKey.parse(anyone.get("/api/v1/integrity/key/").body().strip());
            Checkpoint served = Checkpoint.parse(anyone.get("/api/v1/integrity/checkpoint/").body());
            assertEquals(2, served.size());
            assertTrue(served.signedBy(key));
            Checkpoint inProof = Checkpoint.parse(server.admin().get(uri + "proof/?tree_size=2").json()
                    .getString("checkpoint"));
            assertTrue(inProof.signedBy(key));
            // The forged one stays in the log, as evidence.
            List<Checkpoint> all = new ArrayList<>();
            CheckpointLog.openReadOnly(Integrity.checkpointFile(dir), "actionlog").forEach(all::add);
            assertFalse(all.stream().filter(c -> c.size() == 2).allMatch(c -> c.signedBy(key)), all.toString());
        }
    }

    @Test
    void anOlderCheckpointThatDoesNotVerifyIsNotFound() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String uri = record(server, 0);
            server.restart();
            record(server, 1);
            server.restart(() -> forge(1));
            assertEquals(404, server.admin().get(uri + "proof/?tree_size=1").status());
            assertEquals(200, server.admin().get(uri + "proof/?tree_size=2").status());
        }
    }
}
