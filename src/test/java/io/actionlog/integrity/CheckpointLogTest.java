package io.actionlog.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkpoint log: found by size with a binary search over the file, and a torn last record cut off at open. */
class CheckpointLogTest {
    @TempDir
    Path dir;
    private final MessageDigest sha = Merkle.sha256();

    private SigningKey key() throws IOException {
        return SigningKey.loadOrCreate(dir.resolve("signing.key"), "log.example/one");
    }

    private Checkpoint checkpoint(SigningKey key, long size) {
        return Checkpoint.sign(key, "log.example/one", size, sha.digest(Long.toString(size).getBytes()));
    }

    @Test
    void everyStoredSizeIsFoundAndNoOtherAcrossManyWindows() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            for (long size = 3; size <= 900; size += 3) {
                log.append(checkpoint(key, size));
            }
        }
        assertTrue(Files.size(file) > 40_000, "the log spans many search windows");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(900, log.latest().size());
            for (long size = 1; size <= 903; size++) {
                Checkpoint found = log.find(size);
                if (size % 3 == 0 && size <= 900) {
                    assertEquals(size, found.size(), "size " + size);
                    assertTrue(found.signedBy(key.verifier()));
                } else {
                    assertNull(found, "size " + size);
                }
            }
            List<Checkpoint> all = new ArrayList<>();
            log.forEach(all::add);
            assertEquals(300, all.size());
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndTheOneBeforeIsTheLatest() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            log.append(checkpoint(key, 5));
            log.append(checkpoint(key, 9));
        }
        long whole = Files.size(file);
        String torn = checkpoint(key, 12).note().substring(0, 30);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(torn.getBytes(StandardCharsets.UTF_8)), whole);
        }
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(9, log.latest().size());
            assertEquals(whole, Files.size(file));
            log.append(checkpoint(key, 12));
            assertEquals(12, log.find(12).size());
        }
    }
}
