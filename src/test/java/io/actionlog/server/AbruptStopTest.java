package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.reliability.CrashCycles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a server under concurrent POSTs and PATCHes, three times: no acknowledged action is lost or found in
 * an older state, the list's total equals the journal's count of created actions, and writes work after each
 * restart. {@code scripts/crash-test.sh} runs the same cycles many more times against the shaded jar.
 */
class AbruptStopTest {
    @TempDir
    Path dir;

    @Test
    void killDashNineLosesNoAcknowledgedActionOrState() throws Exception {
        CrashCycles.Result result = new CrashCycles(dir.resolve("data"), 4, 42).run(3);
        assertTrue(result.problems().isEmpty(), String.join("\n", result.problems()));
        assertEquals(0, result.lost(), result.summary());
        assertTrue(result.acknowledged() > 10, "the load produced acknowledged writes: " + result.summary());
    }
}
