package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings a start would otherwise take without a word, though they do not do what the operator meant. */
class StartWarningsTest {
    @TempDir
    Path dir;

    @Test
    void aPresetAdminKeyTheDataDirectoryNoLongerTakesIsSaidAtStart() throws Exception {
        TestServer.start(dir).close();
        try (LogCapture log = LogCapture.of("io.actionlog.server"); TestServer same = TestServer.start(dir)) {
            assertFalse(log.any("auth.admin_key is set"), log.messages().toString());
        }
        String other = "another-preset-key-0123456789";
        try (LogCapture log = LogCapture.of("io.actionlog.server");
             TestServer second = TestServer.start(dir, Map.of("auth.admin_key", other))) {
            assertTrue(log.any("auth.admin_key is set, but the admin credential of " + dir + " does not take it"),
                    log.messages().toString());
            assertEquals(401, second.withHeader("ApiKey admin:" + other).get("/api/v1/action/").status());
        }
    }

    @Test
    void anEmptyListOfKeysToRedactIsSaidAtStart() throws Exception {
        try (LogCapture log = LogCapture.of("io.actionlog.server");
             TestServer server = TestServer.start(dir, Map.of("redact.keys", ""))) {
            assertTrue(log.any("redact.keys is empty: secrets in recorded bodies are kept as sent"),
                    log.messages().toString());
        }
    }
}
