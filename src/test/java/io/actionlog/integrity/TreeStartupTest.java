package io.actionlog.integrity;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigException;
import io.actionlog.support.Cli;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree at start: built for a journal from before it, caught up after a crash, and the key it is signed with. */
class TreeStartupTest {
    @TempDir
    Path dir;
    @TempDir
    Path other;

    @Test
    void aJournalWrittenBeforeTheTreeGetsItsTreeAtFirstStart() throws Exception {
        Cli gen = Cli.run("generate", "--count", "300", "--create", "--data-dir", dir.toString());
        assertEquals(0, gen.code(), gen.err());
        assertTrue(Files.notExists(Integrity.treeFile(dir)));
        try (TestServer server = TestServer.start(dir)) {
            Checkpoint c = Checkpoint.parse(server.withHeader(null).get("/api/v1/integrity/checkpoint/").body());
            assertEquals(300, c.size());
        }
        assertEquals(TreeFile.nodes(300) * 32, Files.size(Integrity.treeFile(dir)));
        Cli verify = Cli.run("verify", "--data-dir", dir.toString());
        assertEquals(0, verify.code(), verify.err());
    }

    @Test
    void aTreeBehindTheJournalCatchesUpAtStart() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            for (int i = 0; i < 10; i++) {
                server.admin().record(new JsonObject().put("action", "A" + i).put("user", "u"));
            }
            server.restart(() -> {
                // A crash between the journal's append and the tree's write: the tree lost its last three leaves.
                try (FileChannel ch = FileChannel.open(Integrity.treeFile(dir), StandardOpenOption.WRITE)) {
                    ch.truncate(TreeFile.nodes(7) * 32);
                }
            });
            String uri = server.admin().record(new JsonObject().put("action", "After").put("user", "u"))
                    .getString("resource_uri");
            assertEquals(10, server.admin().get(uri + "proof/").json().getJsonArray("entries").getJsonObject(0)
                    .getLong("leaf_index"));
        }
        Cli verify = Cli.run("verify", "--data-dir", dir.toString());
        assertEquals(0, verify.code(), verify.err());
    }

    @Test
    void theKeyPairIsMadeOwnerOnlyAndTheCommandLinePrintsItsVerifierKey() throws Exception {
        String served;
        try (TestServer server = TestServer.start(dir)) {
            served = server.withHeader(null).get("/api/v1/integrity/key/").body().strip();
        }
        Path key = dir.resolve("integrity").resolve("signing.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        Cli printed = Cli.run("integrity", "key", "--data-dir", dir.toString());
        assertEquals(0, printed.code(), printed.err());
        assertEquals(served, printed.out().strip());
    }

    @Test
    void theCommandLineMakesNoKeyWhereThereIsNoneUnlessAsked() throws Exception {
        Path missing = other.resolve("mistyped");
        Cli refused = Cli.run("integrity", "key", "--data-dir", missing.toString());
        assertEquals(1, refused.code(), refused.out());
        assertTrue(refused.err().contains("no signing key at " + missing.resolve("integrity").resolve("signing.key")),
                refused.err());
        assertTrue(refused.out().isEmpty(), refused.out());
        assertFalse(Files.exists(missing), "nothing made");
        Cli made = Cli.run("integrity", "key", "--create", "--data-dir", missing.toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(made.err().contains("created signing key"), made.err());
        assertTrue(made.out().startsWith("actionlog+"), made.out());
        Cli again = Cli.run("integrity", "key", "--data-dir", missing.toString());
        assertEquals(made.out(), again.out(), "the same key, now that it exists");
    }

    @Test
    void keyFileNamesAnotherKeyAndOriginNamesTheLog() throws Exception {
        Path keyFile = other.resolve("checkpoint.key");
        try (TestServer server = TestServer.start(dir, Map.of("integrity.key_file", keyFile.toString(),
                "integrity.origin", "audit.example.org/actionlog"))) {
            String note = server.withHeader(null).get("/api/v1/integrity/checkpoint/").body();
            assertTrue(note.startsWith("audit.example.org/actionlog\n"), note);
            assertTrue(note.contains("\n\u2014 audit.example.org/actionlog "), note);
        }
        assertTrue(Files.exists(keyFile));
        assertTrue(Files.notExists(dir.resolve("integrity").resolve("signing.key")));
    }

    @Test
    void aBadOriginOrIntervalIsRefusedNamingTheKey() {
        ConfigException origin = assertThrows(ConfigException.class,
                () -> Config.of(Map.of("integrity.origin", "two words")));
        assertTrue(origin.getMessage().contains("integrity.origin"), origin.getMessage());
        ConfigException interval = assertThrows(ConfigException.class,
                () -> Config.of(Map.of("integrity.checkpoint_seconds", "0")));
        assertTrue(interval.getMessage().contains("integrity.checkpoint_seconds"), interval.getMessage());
    }
}
