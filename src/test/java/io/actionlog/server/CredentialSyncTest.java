package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.LogCapture;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A reload that keeps failing, once a second, for the same reason, is logged once a minute, not once a second. */
class CredentialSyncTest {
    @Test
    void theSameFailureIsSaidOnceAMinuteAndAnotherOrTheRecoveryAtOnce() {
        AtomicLong clock = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>("this node takes no writes");
        CredentialSync sync = new CredentialSync(() -> {
            if (failure.get() != null) {
                throw new IOException(failure.get());
            }
            return true;
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            for (int second = 0; second < 120; second++) {
                clock.set(second * 1_000_000_000L);
                assertFalse(sync.run());
            }
            assertEquals(2, count(log, "takes no writes"), log.messages().toString());
            failure.set("the journal is closed");
            assertFalse(sync.run());
            assertEquals(1, count(log, "the journal is closed"), log.messages().toString());
            failure.set(null);
            assertTrue(sync.run());
            assertTrue(log.any("reloaded and their changes recorded again"), log.messages().toString());
        }
    }

    /** Some reasons have no message (a channel closed under the reload): still a failure logged, not a crash. */
    @Test
    void aFailureWithoutAMessageIsLoggedByItsKind() {
        AtomicLong clock = new AtomicLong();
        CredentialSync sync = new CredentialSync(() -> {
            throw new java.nio.channels.ClosedChannelException();
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            assertFalse(sync.run());
            clock.set(1_000_000_000L);
            assertFalse(sync.run());
            assertEquals(1, count(log, "ClosedChannelException"), log.messages().toString());
        }
    }

    private static long count(LogCapture log, String part) {
        return log.messages().stream().filter(m -> m.contains(part)).count();
    }
}
