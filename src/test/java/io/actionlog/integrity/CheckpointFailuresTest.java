package io.actionlog.integrity;

import io.actionlog.support.LogCapture;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints that cannot be stored (a full disk under the checkpoint log) are counted for /metrics, each logged,
 * and signing goes on once the log's writes work again: what an operator's alert on
 * {@code actionlog_integrity_checkpoint_failures_total} sees.
 */
class CheckpointFailuresTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointThatCannotBeStoredIsCountedAndTheNextOneIsSigned() throws Exception {
        SigningKey key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
        Path logFile = dir.resolve("checkpoints");
        FailingChannel channel = new FailingChannel(FileChannel.open(logFile, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE));
        try (TreeFile tree = TreeFile.open(dir.resolve("tree"));
             CheckpointLog log = CheckpointLog.open(logFile, channel, "actionlog");
             LogCapture logged = LogCapture.of(Checkpointer.class.getName())) {
            Checkpointer checkpoints = new Checkpointer(tree, log, key, "actionlog");
            append(tree, 3);
            long before = System.currentTimeMillis();
            checkpoints.sign();
            assertEquals(1, checkpoints.signedCount());
            assertEquals(3, checkpoints.signedSize());
            assertTrue(checkpoints.signedAt() >= before, "signed at " + checkpoints.signedAt());

            channel.beforeWrite = FailingChannel.DISK_FULL;
            append(tree, 2);
            CompletableFuture<Checkpoint> forProof = checkpoints.covering(5);
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> forProof.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause().getMessage().contains("checkpoint not appended"), failed.toString());
            assertEquals(1, checkpoints.failures());
            assertEquals(1, checkpoints.signedCount(), "nothing stored, nothing counted as signed");
            assertEquals(3, checkpoints.signedSize(), "the latest stored is still the one before");
            assertTrue(logged.any("checkpoint for a proof not signed"), logged.messages().toString());

            channel.beforeWrite = FailingChannel.PASS;
            assertEquals(5, checkpoints.covering(5).get(10, TimeUnit.SECONDS).size());
            assertEquals(2, checkpoints.signedCount());
            assertEquals(5, checkpoints.signedSize());
            assertEquals(1, checkpoints.failures());
            checkpoints.close();
        }
    }

    private static void append(TreeFile tree, int leaves) {
        byte[] hash = new byte[Merkle.HASH_BYTES];
        for (int i = 0; i < leaves; i++) {
            hash[0] = (byte) tree.appended();
            tree.append(hash, 0);
        }
        tree.flush();
    }
}
