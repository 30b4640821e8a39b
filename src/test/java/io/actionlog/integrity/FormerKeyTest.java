package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.config.Config;
import io.actionlog.support.Cli;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log that changed keys as the README says (checkpoint log and key moved aside, a new log under a new key): an
 * auditor's checkpoint from before still vouches for the history it covers, checked with the former verifier key
 * given to {@code verify --key}, and only with it.
 */
class FormerKeyTest {
    @TempDir
    Path dir;
    @TempDir
    Path aside;

    private Path kept;
    private String formerKey;

    @BeforeEach
    void changeKeys() throws Exception {
        record("before the change");
        Cli key = Cli.run("integrity", "key", "--data-dir", dir.toString());
        assertEquals(0, key.code(), key.err());
        formerKey = key.out().strip();
        kept = aside.resolve("kept.note");
        Files.writeString(kept, CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest().note());
        Path log = Integrity.checkpointFile(dir);
        Files.move(log, aside.resolve("checkpoints"));
        Files.deleteIfExists(log.resolveSibling("checkpoints.falls"));
        Files.move(dir.resolve(Config.DATA_DIR_KEY_FILE), aside.resolve("signing.key"));
        record("after the change");
    }

    private void record(String what) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", what).put("user", "u"));
        }
    }

    private Cli verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "--data-dir", dir.toString(), "--checkpoint",
                kept.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aCheckpointOfTheFormerKeyIsForgedToTheNewKeyAlone() {
        Cli run = verify();
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("(" + kept + "): its signature does not verify with key actionlog+"),
                run.err());
    }

    @Test
    void aCheckpointOfTheFormerKeyVerifiesWithThatKeyGivenAsText() {
        Cli run = verify("--key", formerKey);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("integrity ok"), run.out());
    }

    @Test
    void aCheckpointOfTheFormerKeyVerifiesWithThatKeyGivenAsAFile() throws Exception {
        Path file = aside.resolve("former.pub");
        Files.writeString(file, formerKey + "\n");
        Cli run = verify("--key", file.toString());
        assertEquals(0, run.code(), run.err());
    }

    @Test
    void anotherKeyGivenDoesNotVouchForTheCheckpoint() throws Exception {
        String other = SigningKey.loadOrCreate(aside.resolve("other.key"), "actionlog").verifierKey();
        Cli run = verify("--key", other);
        assertEquals(1, run.code(), run.err());
        // Both keys tried are named, the directory's and the one given.
        // The name and key id are the first two fields; the base64 key after them may hold '+' too.
        String nameAndId = other.substring(0, other.indexOf('+', other.indexOf('+') + 1));
        assertTrue(run.err().contains(" or " + nameAndId + ":"), run.err());
    }

    @Test
    void theFormerKeyDoesNotVouchForACheckpointTheJournalDoesNotContain() throws Exception {
        // Signed with the former key, but of more entries than the journal holds: a history rolled back past it.
        Path shorter = aside.resolve("longer.note");
        Checkpoint c = Checkpoint.parse(Files.readString(kept));
        SigningKey former = SigningKey.load(aside.resolve("signing.key"));
        Files.writeString(shorter, Checkpoint.sign(former, "actionlog", c.size() + 100, c.root()).note());
        Cli run = Cli.run("verify", "--data-dir", dir.toString(), "--checkpoint", shorter.toString(), "--key",
                formerKey);
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("covers more entries than the journal's"), run.err());
    }

    @Test
    void aKeyThatIsNotOneOrIsAnotherLogsIsRefusedNamingIt() throws Exception {
        Cli garbled = verify("--key", "actionlog+nothex00+AAAA");
        assertNotEquals(0, garbled.code());
        assertTrue(garbled.err().contains("--key actionlog+nothex00+AAAA: not a verifier key (its key id is not 8 hex "
                + "digits)"), garbled.err());
        Cli notBase64 = verify("--key", "actionlog+0011aabb+not*base64");
        assertTrue(notBase64.err().contains("not a verifier key (its key is not base64)"), notBase64.err());
        String named = SigningKey.loadOrCreate(aside.resolve("other.key"), "elsewhere").verifierKey();
        Cli foreign = verify("--key", named);
        assertNotEquals(0, foreign.code());
        assertTrue(foreign.err().contains("a key named 'elsewhere' signs no checkpoint of this log"), foreign.err());
    }

    /** A file given to --key is not shown: it may be the signing key itself, whose private half must stay put. */
    @Test
    void aSigningKeyFileGivenForAVerifierKeyIsRefusedWithoutShowingWhatItHolds() throws Exception {
        Path signing = aside.resolve("signing.key");
        String held = Files.readString(signing);
        Cli run = verify("--key", signing.toString());
        assertNotEquals(0, run.code());
        String privateHalf = held.lines().findFirst().orElseThrow();
        String seed = privateHalf.split("\\+", 5)[4]; // PRIVATE+KEY+<name>+<id>+<base64 seed>
        assertFalse(run.err().contains(seed), run.err());
        assertTrue(run.err().contains("--key " + signing + ": a signing key file"), run.err());
    }

    @Test
    void aKeyFileThatIsNotThereIsRefusedAsMissing() {
        Path missing = aside.resolve("former.pub");
        Cli run = verify("--key", missing.toString());
        assertNotEquals(0, run.code());
        assertTrue(run.err().contains("--key " + missing + ": no such file"), run.err());
    }
}
