package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.config.Config;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code integrity new-key} stopped between any two of its changes on disk (the process killed): the directory
 * still starts with checkpoints its key vouches for, nothing of the former log is lost, and the next run ends with
 * the former latest checkpoint signed by both keys.
 */
class KeyChangeStoppedTest {
    @TempDir
    Path tmp;

    private Path recorded;
    private String formerLog;
    private Checkpoint kept;
    private String formerKey;

    @BeforeEach
    void recordUnderTheFirstKey() throws Exception {
        recorded = tmp.resolve("recorded");
        try (TestServer server = TestServer.start(recorded)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 3; i++) {
                rec.record(new JsonObject().put("action", "before " + i).put("user", "u"));
            }
            formerKey = server.withHeader(null).get("/api/v1/integrity/key/").body().strip();
        }
        formerLog = Files.readString(Integrity.checkpointFile(recorded));
        kept = Checkpoint.parse(formerLog.substring(formerLog.lastIndexOf("\n\nactionlog\n") + 2,
                formerLog.length() - 1));
    }

    /** A copy of the recorded directory, with a change stopped before its step {@code step} (from 1). */
    private Path stoppedAt(int step) throws Exception {
        Path dir = tmp.resolve("stopped-" + step);
        JournalEdits.copyTree(recorded, dir);
        AtomicInteger steps = new AtomicInteger();
        assertThrows(Stopped.class, () -> KeyChange.run(Config.of(Map.of("data.dir", dir.toString())), () -> {
            if (steps.incrementAndGet() == step) {
                throw new Stopped();
            }
        }));
        return dir;
    }

    /** How many changes on disk a whole run makes. */
    private int steps() throws Exception {
        Path dir = tmp.resolve("whole");
        JournalEdits.copyTree(recorded, dir);
        AtomicInteger steps = new AtomicInteger();
        KeyChange.run(Config.of(Map.of("data.dir", dir.toString())), steps::incrementAndGet);
        return steps.get();
    }

    @Test
    void aSecondRunAfterAChangeStoppedAtAnyStepEndsWithTheHandoverAndTheFormerLogKept() throws Exception {
        int steps = steps();
        assertTrue(steps > 3, "steps: " + steps);
        for (int step = 1; step <= steps; step++) {
            Path dir = stoppedAt(step);
            Cli run = Cli.run("integrity", "new-key", "--data-dir", dir.toString());
            assertEquals(0, run.code(), "stopped at step " + step + ": " + run.err());
            assertHandover(dir, run.lastLine(), "stopped at step " + step);
            assertTrue(formerLogs(dir).contains(formerLog), "stopped at step " + step + ": the former log is lost");
            Cli verify = Cli.run("verify", "--data-dir", dir.toString());
            assertEquals(0, verify.code(), "stopped at step " + step + ": " + verify.err());
        }
    }

    @Test
    void aDirectoryWhoseChangeStoppedAtAnyStepStartsWithCheckpointsItsKeyVouchesFor() throws Exception {
        int steps = steps();
        for (int step = 1; step <= steps; step++) {
            Path dir = stoppedAt(step);
            try (TestServer server = TestServer.start(dir)) {
                String key = server.withHeader(null).get("/api/v1/integrity/key/").body().strip();
                server.admin().record(new JsonObject().put("action", "after").put("user", "u"));
                Checkpoint latest = Checkpoint.parse(server.withHeader(null).get("/api/v1/integrity/checkpoint/")
                        .body());
                assertTrue(latest.signedBy(VerifierKey.parse(key)), "stopped at step " + step);
                assertEquals(200, server.withHeader(null).get("/api/v1/integrity/checkpoint/").status());
            }
            assertTrue(formerLogs(dir).stream().anyMatch(log -> log.startsWith(formerLog)),
                    "stopped at step " + step + ": the former log is lost");
            Cli run = Cli.run("integrity", "new-key", "--data-dir", dir.toString());
            assertEquals(0, run.code(), "stopped at step " + step + ": " + run.err());
            Cli verify = Cli.run("verify", "--data-dir", dir.toString());
            assertEquals(0, verify.code(), "stopped at step " + step + ": " + verify.err());
        }
    }

    /** The new log starts with the former latest checkpoint, signed by the former key and the new one. */
    private void assertHandover(Path dir, String newKey, String when) throws Exception {
        try (CheckpointLog log = CheckpointLog.openReadOnly(Integrity.checkpointFile(dir), "actionlog")) {
            Checkpoint handover = log.latest();
            assertEquals(kept.size(), handover == null ? -1 : handover.size(), when);
            assertTrue(handover.signedBy(VerifierKey.parse(formerKey)), when + ": " + handover.note());
            assertTrue(handover.signedBy(VerifierKey.parse(newKey)), when + ": " + handover.note());
        }
    }

    /** The checkpoint logs set aside in the data directory, and the live one. */
    private static List<String> formerLogs(Path dir) throws Exception {
        List<String> logs = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir.resolve("integrity"))) {
            for (Path p : all.filter(p -> p.getFileName().toString().equals("checkpoints")).toList()) {
                logs.add(Files.readString(p));
            }
        }
        return logs;
    }

    private static final class Stopped extends RuntimeException {
    }
}
