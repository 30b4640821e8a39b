package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import java.net.HttpURLConnection;
import java.net.URL;
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
            // Where the settings came from, and the data directory whatever the working directory.
            assertTrue(out.contains("settings from configuration file ") || out.contains("settings from no configuration"
                    + " file"), out);
            assertTrue(out.contains(", data " + dir.resolve("data").toAbsolutePath().normalize() + ", "), out);
        }
    }

    /** Sent out of habit to have a daemon reopen its logs, SIGHUP stopped the server (exit 129, an outage). */
    @Test
    void aHangUpIsLoggedAndTheServerGoesOn() throws Exception {
        try (ForkedServer server = ForkedServer.start(dir.resolve("data"), "start-log-key-0123456789abcdef")) {
            server.hangUp();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!server.output().contains("SIGHUP: nothing to reload") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(server.output().contains("SIGHUP: nothing to reload"), server.output());
            HttpURLConnection health = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + "/health")
                    .openConnection();
            assertEquals(200, health.getResponseCode());
            ForkedServer.Exit exit = server.terminate();
            assertEquals(143, exit.code(), exit.output());
        }
    }
}
