package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Journal;
import io.actionlog.support.Cli;
import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} once retention dropped the oldest entries: a drop that a retention entry records passes, and the
 * checkpoints signed before it still verify; a change to a kept entry, or a drop that no retention entry records,
 * fails.
 */
class VerifyAfterRetentionTest {
    @TempDir
    Path dir;

    private Cli verify() {
        return Cli.run("verify", "--data-dir", dir.toString());
    }

    /** The scenario, its retention run, and two days more; returns where the journal starts. Stops the server. */
    private long droppedAndStopped() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, Map.of());
        long start;
        try (TestServer server = s.server) {
            start = s.runRetention().getLong("journal_start");
            s.clock.nextDay();
            s.recorder.record(new JsonObject().put("action", "Day three"));
            s.clock.nextDay();
            s.recorder.record(new JsonObject().put("action", "Day four"));
        }
        return start;
    }

    @Test
    void aRecordedDropVerifiesWithTheCheckpointsSignedBeforeIt() throws Exception {
        long start = droppedAndStopped();
        Cli run = verify();
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("journal_start " + start + "\n"), run.out());
        assertTrue(run.out().contains("expired " + RetentionScenario.OLD + "\n"), run.out());
        assertTrue(run.out().contains("integrity ok"), run.out());
        assertTrue(CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest().size() > start);
    }

    @Test
    void aKeptEntryChangedAfterTheDropStillFails() throws Exception {
        droppedAndStopped();
        JournalEdits.changeByteOfText(dir.resolve("journal"), "step one");
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("differs from the leaf the tree stored"), run.err());
    }

    @Test
    void aDropNoRetentionEntryRecordsIsTampering() throws Exception {
        droppedAndStopped();
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS)) {
            journal.drop(journal.segments()[1], () -> { });
        }
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("no retention entry covers them"), run.err());
    }
}
