package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.config.Config;
import io.actionlog.support.Cli;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code integrity.key_file}: the key moves with the setting, but a setting that names no file while the log holds
 * checkpoints is refused rather than answered with a new key, which would leave every checkpoint failing verify.
 */
class SigningKeyFileTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    private void recordAndStop(Map<String, String> settings) throws Exception {
        try (TestServer server = TestServer.start(dir, settings)) {
            server.admin().record(new JsonObject().put("action", "Pay").put("user", "u"));
        }
    }

    @Test
    void aKeyMovedElsewhereSignsOnAndVerifies() throws Exception {
        recordAndStop(Map.of());
        Path moved = elsewhere.resolve("signing.key");
        Files.move(dir.resolve(Config.DATA_DIR_KEY_FILE), moved);
        recordAndStop(Map.of("integrity.key_file", moved.toString()));
        Path config = elsewhere.resolve("config.json");
        Files.writeString(config, new JsonObject().put("integrity", new JsonObject().put("key_file", moved.toString()))
                .encode());
        Cli run = Cli.run("verify", "--config", config.toString(), "--data-dir", dir.toString());
        assertEquals(0, run.code(), run.err());
    }

    @Test
    void aKeyFileThatDoesNotExistBesideSignedCheckpointsIsRefusedAndNothingIsSigned() throws Exception {
        recordAndStop(Map.of());
        Path log = Integrity.checkpointFile(dir);
        String before = Files.readString(log);
        Path missing = elsewhere.resolve("new.key");
        Throwable refused = assertThrows(Exception.class,
                () -> TestServer.start(dir, Map.of("integrity.key_file", missing.toString())).close());
        String said = refused.getMessage() + " / " + refused.getCause();
        assertTrue(said.contains("integrity.key_file " + missing + " does not exist, but the checkpoint log " + log
                + " holds checkpoints signed with a key"), said);
        assertFalse(Files.exists(missing));
        assertEquals(before, Files.readString(log));
        recordAndStop(Map.of());
        assertEquals(0, Cli.run("verify", "--data-dir", dir.toString()).code());
    }

    @Test
    void aKeyFileThatIsNotTextIsRefusedNamingIt() throws Exception {
        Path key = dir.resolve(Config.DATA_DIR_KEY_FILE);
        Files.createDirectories(key.getParent());
        Files.write(key, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Cli printed = Cli.run("integrity", "key", "--data-dir", dir.toString());
        assertEquals(1, printed.code(), printed.err());
        assertTrue(printed.err().contains("key file " + key + ": not UTF-8 text"), printed.err());
    }
}
