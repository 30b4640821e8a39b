package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.actionlog.journal.ValueNumbers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayPipelineTest {
    /** More entries than the hand-over queue holds, so a reader that waited for a dead applier would wait forever. */
    private static final int ENTRIES = 200_000;

    @Test
    void anErrorOnTheApplyingThreadReachesTheReaderInsteadOfHangingIt() {
        OutOfMemoryError thrown = new OutOfMemoryError("Java heap space (test)");
        // The timeout only turns a hang into a failure; nothing here measures speed.
        OutOfMemoryError caught = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                OutOfMemoryError.class, () -> feed((position, entry, resolved) -> {
                    if (position == 5) {
                        throw thrown;
                    }
                })));
        assertEquals(thrown, caught);
    }

    @Test
    void aBadEntryOnTheApplyingThreadStopsTheReplayWithItsOwnMessage() {
        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> feed((position, entry, resolved) -> {
                    if (position == 70_000) {
                        throw new IllegalStateException("entry 70000 does not follow");
                    }
                }));
        assertEquals("entry 70000 does not follow", caught.getMessage());
    }

    private static void feed(ReplayPipeline.Target target) {
        ReplayPipeline pipeline = new ReplayPipeline((entry, numbers) -> null, target);
        for (long p = 0; p < ENTRIES; p++) {
            pipeline.accept(p, null, ValueNumbers.NONE);
        }
        pipeline.finish();
    }
}
