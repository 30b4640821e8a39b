package io.actionlog.integrity;

import io.actionlog.support.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint log: found by size with a binary search over the file, and whatever a crash left after the last whole
 * record cut off at open.
 */
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
    void aLogOfAnotherOriginIsRefusedAndLeftWhole() throws IOException {
        Path file = logOfSizesUpTo(200);
        long bytes = Files.size(file);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> CheckpointLog.open(file, "actionlog"));
        assertTrue(e.getMessage().contains("origin 'log.example/one', not of integrity.origin 'actionlog'"),
                e.getMessage());
        assertEquals(bytes, Files.size(file), "nothing cut");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(200, log.latest().size());
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

    @Test
    void aTearShorterThanARecordsStartIsCutOff() throws IOException {
        everyCheckpointIsFoundAfterATailOf("log.ex".getBytes(StandardCharsets.UTF_8));
        everyCheckpointIsFoundAfterATailOf("\nlog.example/".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nulBytesOfAFileExtendedButNotWrittenAreCutOff() throws IOException {
        everyCheckpointIsFoundAfterATailOf(new byte[16]);
        everyCheckpointIsFoundAfterATailOf(new byte[10_000]);
    }

    @Test
    void junkAfterTheLastWholeRecordIsCutOff() throws IOException {
        byte[] junk = new byte[3000];
        new Random(7).nextBytes(junk);
        everyCheckpointIsFoundAfterATailOf(junk);
    }

    /**
     * Two checkpoints, then {@code tail} after them as a crash could leave it; the log opened again has the second
     * as its latest and the file cut back to the records, and a checkpoint appended then is found with the others.
     */
    private void everyCheckpointIsFoundAfterATailOf(byte[] tail) throws IOException {
        SigningKey key = key();
        Path file = Files.createTempFile(dir, "checkpoints", "");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            log.append(checkpoint(key, 5));
            log.append(checkpoint(key, 9));
        }
        long whole = Files.size(file);
        Files.write(file, tail, StandardOpenOption.APPEND);
        try (LogCapture said = LogCapture.of(CheckpointLog.class.getName());
             CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(9, log.latest().size());
            assertEquals(whole, Files.size(file));
            assertTrue(said.any("cut " + tail.length + " bytes"), said.messages().toString());
            log.append(checkpoint(key, 12));
        }
        // The bytes cut are kept beside the log up to the last non-zero one; NULs alone leave no copy.
        List<Path> kept;
        try (var files = Files.list(dir)) {
            kept = files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + ".cut-")).toList();
        }
        int last = tail.length - 1;
        while (last >= 0 && tail[last] == 0) {
            last--;
        }
        if (last < 0) {
            assertEquals(List.of(), kept);
        } else {
            assertEquals(1, kept.size(), kept.toString());
            assertEquals(Arrays.toString(Arrays.copyOf(tail, last + 1)), Arrays.toString(Files.readAllBytes(kept.get(0))));
        }
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(12, log.latest().size());
            for (long size : new long[] {5, 9, 12}) {
                assertEquals(size, log.find(size).size(), "size " + size);
            }
            List<Long> sizes = new ArrayList<>();
            log.forEach(c -> sizes.add(c.size()));
            assertEquals(List.of(5L, 9L, 12L), sizes);
        }
    }

    /**
     * Sizes that fell twice (two starts that found the journal shorter), each run long enough for binary searches:
     * after a reopen, a size is found in the newest run that has it, and an older run's checkpoint of that size only
     * when the newer one is not wanted. Junk and offsets past the log's end in the falls file are left out.
     */
    @Test
    void aLogWhoseSizesFellIsSearchedNewestRunFirstAfterAReopen() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            for (long size = 2; size <= 600; size += 2) {
                log.append(checkpoint(key, size));
            }
            for (long size = 300; size <= 900; size += 3) {
                log.append(signedAs(key, size, "second"));
            }
            for (long size = 450; size <= 1200; size += 5) {
                log.append(signedAs(key, size, "third"));
            }
        }
        Files.writeString(dir.resolve("checkpoints.falls"), "not an offset\n" + Files.readString(
                dir.resolve("checkpoints.falls")) + (Files.size(file) + 10) + "\n");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(1200, log.latest().size());
            assertEquals(signedAs(key, 450, "third").note(), log.find(450).note());
            assertEquals(signedAs(key, 600, "second").note(), log.find(600, c -> !c.note().equals(
                    signedAs(key, 600, "third").note())).note());
            byte[] first = checkpoint(key, 600).root();
            assertEquals(checkpoint(key, 600).note(), log.find(600, c -> Arrays.equals(c.root(), first)).note());
            assertEquals(signedAs(key, 303, "second").note(), log.find(303).note());
            assertEquals(checkpoint(key, 298).note(), log.find(298).note());
            assertNull(log.find(301));
            for (long size = 450; size <= 1200; size += 5) {
                assertEquals(signedAs(key, size, "third").note(), log.find(size).note(), "size " + size);
            }
        }
    }

    /** A checkpoint of {@code size} with a root of its own run, so that two of one size differ. */
    private Checkpoint signedAs(SigningKey key, long size, String run) {
        return Checkpoint.sign(key, "log.example/one", size, sha.digest((run + size).getBytes()));
    }
    /** After a latest it could not trust, a start signs the same size again: that one is found, wanted. */
    @Test
    void aSizeSignedAgainIsFoundByTheOneWanted() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        Checkpoint again = signedAs(key, 150, "again");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            for (long size = 1; size <= 150; size++) {
                log.append(checkpoint(key, size));
            }
            log.append(again);
            for (long size = 151; size <= 300; size++) {
                log.append(checkpoint(key, size));
            }
        }
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            assertEquals(again.note(), log.find(150, c -> c.note().equals(again.note())).note());
            assertEquals(checkpoint(key, 150).note(), log.find(150).note());
            assertNull(log.find(150, c -> false));
            assertEquals(List.of(), orderProblems(file));
        }
    }

    /** A log the server wrote, falls and all, walked for verify: in order. */
    @Test
    void aLogWithRecordedFallsIsInOrder() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            for (long size : new long[] {5, 9, 12, 7, 8, 20, 3, 4}) {
                log.append(signedAs(key, size, "run"));
            }
        }
        assertEquals(2, Files.readAllLines(dir.resolve("checkpoints.falls")).size());
        try (CheckpointLog log = CheckpointLog.openReadOnly(file, "log.example/one")) {
            List<Long> sizes = new ArrayList<>();
            log.forEach(c -> sizes.add(c.size()));
            assertEquals(List.of(5L, 9L, 12L, 7L, 8L, 20L, 3L, 4L), sizes);
            assertEquals(List.of(), log.orderProblems());
        }
    }

    @Test
    void aDuplicatedOrMovedRecordIsOutOfOrder() throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        Checkpoint[] written = {checkpoint(key, 1), checkpoint(key, 2), checkpoint(key, 3), checkpoint(key, 4)};
        String duplicated = written[0].note() + "\n" + written[1].note() + "\n" + written[1].note() + "\n"
                + written[2].note() + "\n";
        Files.writeString(file, duplicated);
        assertEquals(List.of("checkpoint log " + file + ": the record at byte " + 2 * (length(written[0]) + 1) + " (size 2) does not grow on the one before it (size 2)"), prefixes(orderProblems(file)));
        String moved = written[0].note() + "\n" + written[2].note() + "\n" + written[1].note() + "\n"
                + written[3].note() + "\n";
        Files.writeString(file, moved);
        assertEquals(List.of("checkpoint log " + file + ": the record at byte " + (length(written[0])
                + length(written[2]) + 2) + " (size 2) does not grow on the one before it (size 3)"),
                prefixes(orderProblems(file)));
    }

    @Test
    void fallsTheServerDidNotWriteAreOutOfOrder() throws IOException {
        Path file = logOfSizesUpTo(4);
        SigningKey key = key();
        long second = length(checkpoint(key, 1)) + 1;
        Files.writeString(dir.resolve("checkpoints.falls"), second + "\n" + (second + 3) + "\nnot an offset\n");
        Path falls = dir.resolve("checkpoints.falls");
        assertEquals(List.of("checkpoint falls " + falls + ": 'not an offset' is not a byte offset, which no server "
                + "writes", "checkpoint falls " + falls + " records a fall at byte " + second + " of the log, where "
                + "the size does not fall (1, then 2)", "checkpoint falls " + falls + " names byte " + (second + 3)
                + " of the log, where no record starts"), orderProblems(file));
    }

    /** A note's bytes in the log: its signature line's dash is three bytes of UTF-8. */
    private static int length(Checkpoint c) {
        return c.note().getBytes(StandardCharsets.UTF_8).length;
    }

    /** A log of one checkpoint of each size from 1 to {@code last}, as a server writes it. */
    private Path logOfSizesUpTo(long last) throws IOException {
        SigningKey key = key();
        Path file = dir.resolve("checkpoints");
        try (CheckpointLog log = CheckpointLog.open(file, "log.example/one")) {
            for (long size = 1; size <= last; size++) {
                log.append(checkpoint(key, size));
            }
        }
        return file;
    }

    private List<String> orderProblems(Path file) throws IOException {
        try (CheckpointLog log = CheckpointLog.openReadOnly(file, "log.example/one")) {
            log.forEach(c -> { });
            return log.orderProblems();
        }
    }

    /** Each problem up to its explanation, which is the message's own. */
    private static List<String> prefixes(List<String> problems) {
        return problems.stream().map(p -> p.substring(0, p.indexOf(", and no fall"))).toList();
    }
}
