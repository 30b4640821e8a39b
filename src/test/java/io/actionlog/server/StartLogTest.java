package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads at start: the server's own lines, not a library's notes to its vendor. */
class StartLogTest {
    @TempDir
    Path dir;

    @Test
    void aStartPrintsNoChronicleNotesButItsOwnLines() throws Exception {
        try (ForkedServer server = ForkedServer.start(dir.resolve("data"), "start-log-key-0123456789abcdef")) {
            String out = server.output();
            assertTrue(out.contains("listening on"), out);
            assertTrue(out.contains("replayed"), out);
            assertFalse(out.contains("e-mail"), out);
            assertFalse(out.contains("INFO net.openhft"), out);
        }
    }
}
