package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerCloseTest {
    @TempDir
    Path dir;

    @Test
    void aStopMakesTheCheckpointProofsWaitForAndTheFinalOne() throws Exception {
        try (TreeFile tree = TreeFile.open(dir.resolve("tree"));
             CheckpointLog log = CheckpointLog.open(dir.resolve("checkpoints"), "actionlog")) {
            SigningKey key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
            Checkpointer checkpoints = new Checkpointer(tree, log, key, "actionlog");
            appendLeaf(tree, 1);
            checkpoints.start(3600);
            appendLeaf(tree, 2);
            assertEquals(2, checkpoints.covering(2).get(5, TimeUnit.SECONDS).size(), "the first is signed at once");
            appendLeaf(tree, 3);
            CompletableFuture<Checkpoint> waiting = checkpoints.covering(3); // a second after the one before
            checkpoints.close();
            assertEquals(3, waiting.get(5, TimeUnit.SECONDS).size(), "the proof waiting at the stop got its checkpoint");
            assertEquals(3, log.latest().size());
        }
    }

    private static void appendLeaf(TreeFile tree, int n) {
        byte[] hash = new byte[Merkle.HASH_BYTES];
        hash[0] = (byte) n;
        tree.append(hash);
        tree.flush();
    }
}
