package io.actionlog.server;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two stops of one process overlapping (tests run several servers) leave Netty's logger as they found it. */
class AcceptedWhileStoppingTest {
    private static final Logger NETTY = Logger.getLogger("io.netty.bootstrap.ServerBootstrap");

    @Test
    void overlappingStopsCountTheirOwnAndLeaveNoFilterBehind() {
        assertNull(NETTY.getFilter());
        AcceptedWhileStopping first = AcceptedWhileStopping.install();
        AcceptedWhileStopping second = AcceptedWhileStopping.install();
        assertFalse(NETTY.getFilter().isLoggable(failed()));
        assertEquals(0, first.remove(), "the second, installed over it, counted the failure");
        assertFalse(NETTY.getFilter().isLoggable(failed()), "the second still counts");
        assertEquals(2, second.remove());
        assertNull(NETTY.getFilter(), "both taken out");

        AcceptedWhileStopping alone = AcceptedWhileStopping.install();
        assertTrue(NETTY.getFilter().isLoggable(new LogRecord(Level.WARNING, "another warning")));
        assertEquals(0, alone.remove());
        assertNull(NETTY.getFilter());
    }

    private static LogRecord failed() {
        return new LogRecord(Level.WARNING, "Failed to register an accepted channel: [id: 0x1]");
    }
}
