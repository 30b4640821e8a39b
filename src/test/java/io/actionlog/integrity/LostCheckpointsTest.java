package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal that lost its tail after a checkpoint covered it (a power loss under {@code journal.durability=process}):
 * the tree is cut back at start, and the checkpoints of the lost entries stay in the log as evidence but are never
 * served; proofs use the newest checkpoint the tree covers, and new ones are signed as the tree grows again.
 */
class LostCheckpointsTest {
    @TempDir
    Path dir;
    private final MessageDigest sha = Merkle.sha256();

    @Test
    void checkpointsOfALostJournalTailAreNotServedAndNewOnesAreSignedAsTheTreeRegrows() throws Exception {
        try (TestServer server = TestServer.start(dir);
             LogCapture log = LogCapture.of(Checkpointer.class.getName())) {
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                uris.add(record(server, i));
            }
            // The clean stop signs the tree of 6 entries; then the journal loses its last 3.
            server.restart(() -> JournalEdits.rewrite(dir.resolve("journal"),
                    entries -> new ArrayList<>(entries.subList(0, 3))));
            assertTrue(log.any("of size 6") && log.any("3 leaves"), log.messages().toString());
            Client anyone = server.withHeader(null);
            VerifierKey key = VerifierKey.parse(anyone.get("/api/v1/integrity/key/").body().strip());
            Checkpoint lost = CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").find(6);

            assertEquals(3, Checkpoint.parse(anyone.get("/api/v1/integrity/checkpoint/").body()).size());
            assertEquals(3, proven(server.admin().get(uris.get(1) + "proof/").json(), key));
            assertEquals(404, server.admin().get(uris.get(1) + "proof/?tree_size=6").status());

            List<String> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                later.add(record(server, 10 + i));
            }
            assertEquals(6, proven(server.admin().get(later.get(2) + "proof/").json(), key));
            Checkpoint latest = Checkpoint.parse(anyone.get("/api/v1/integrity/checkpoint/").body());
            assertEquals(6, latest.size());
            assertFalse(Arrays.equals(lost.root(), latest.root()), "a new checkpoint, not the lost one");
            assertEquals(6, proven(server.admin().get(later.get(0) + "proof/?tree_size=6").json(), key));
            assertEquals(3, proven(server.admin().get(uris.get(1) + "proof/?tree_size=3").json(), key));

            // Two more entries (the stop signs 8), then a plain restart: the log now holds a lost 6 before the new 6.
            later.add(record(server, 13));
            later.add(record(server, 14));
            server.restart();
            assertEquals(8, Checkpoint.parse(server.withHeader(null).get("/api/v1/integrity/checkpoint/").body()).size());
            JsonObject again = server.admin().get(later.get(0) + "proof/?tree_size=6").json();
            assertEquals(6, proven(again, key));
            assertArrayEquals(latest.root(), Checkpoint.parse(again.getString("checkpoint")).root());
            assertEquals(3, proven(server.admin().get(uris.get(1) + "proof/?tree_size=3").json(), key));
            assertEquals(8, proven(server.admin().get(later.get(4) + "proof/").json(), key));
        }
    }

    private static String record(TestServer server, int i) {
        return server.admin().record(new JsonObject().put("action", "A" + i).put("user", "u"))
                .getString("resource_uri");
    }

    /** Checks a proof's every entry against its checkpoint, signed by {@code key}; returns the tree size. */
    private long proven(JsonObject proof, VerifierKey key) {
        Checkpoint c = Checkpoint.parse(proof.getString("checkpoint"));
        assertTrue(c.signedBy(key), proof.encode());
        assertEquals(c.size(), proof.getLong("tree_size"));
        assertArrayEquals(c.root(), Base64.getDecoder().decode(proof.getString("root_hash")));
        JsonArray entries = proof.getJsonArray("entries");
        assertFalse(entries.isEmpty(), proof.encode());
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            byte[] leafHash = Merkle.leafHash(sha, e.getString("leaf").getBytes(StandardCharsets.UTF_8));
            List<byte[]> path = e.getJsonArray("audit_path").stream()
                    .map(h -> Base64.getDecoder().decode((String) h)).toList();
            assertTrue(ProofCheck.inclusion(e.getLong("leaf_index"), c.size(), leafHash, path, c.root()), e.encode());
        }
        return c.size();
    }
}
