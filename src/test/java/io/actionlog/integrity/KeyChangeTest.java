package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.config.Config;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.Needs;
import io.actionlog.support.Script;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code integrity new-key}: a stopped server's checkpoint signing key replaced, its former checkpoints and verifier
 * key set aside, and the new log started with the former latest checkpoint signed by both keys, so that an auditor
 * who trusts the former key can take the new one on from there.
 */
class KeyChangeTest {
    @TempDir
    Path dir;
    @TempDir
    Path auditor;

    private String formerKey;
    private Checkpoint kept;

    /** Records a few actions under the first key, keeping what an auditor keeps: its verifier key, a checkpoint. */
    private void recordUnderTheFirstKey() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 5; i++) {
                rec.record(new JsonObject().put("action", "before " + i).put("user", "u"));
            }
            formerKey = server.withHeader(null).get("/api/v1/integrity/key/").body().strip();
        }
        try (CheckpointLog log = CheckpointLog.openReadOnly(Integrity.checkpointFile(dir), "actionlog")) {
            kept = log.latest();
        }
    }

    private Cli newKey() {
        return Cli.run("integrity", "new-key", "--data-dir", dir.toString());
    }

    @Test
    void theNewKeyAndTheFormerOneSignTheLatestCheckpointAndTheFormerLogIsSetAside() throws Exception {
        recordUnderTheFirstKey();
        Path formerLog = Files.copy(Integrity.checkpointFile(dir), auditor.resolve("log-before"));
        Cli run = newKey();
        assertEquals(0, run.code(), run.err());
        String next = run.lastLine();
        assertNotEquals(formerKey, next);
        assertEquals(next, Cli.run("integrity", "key", "--data-dir", dir.toString()).out().strip());

        String id = formerKey.split("\\+")[1];
        Path former = dir.resolve("integrity").resolve("former-" + id);
        assertEquals(formerKey + "\n", Files.readString(former.resolve("verifier.key")));
        assertEquals(Files.readString(formerLog), Files.readString(former.resolve("checkpoints")));
        assertTrue(run.err().contains("the new log starts with the checkpoint of size " + kept.size()), run.err());

        Checkpoint handover;
        try (CheckpointLog log = CheckpointLog.openReadOnly(Integrity.checkpointFile(dir), "actionlog")) {
            handover = log.latest();
        }
        assertEquals(kept.size(), handover.size());
        assertTrue(handover.signedBy(VerifierKey.parse(formerKey)), handover.note());
        assertTrue(handover.signedBy(VerifierKey.parse(next)), handover.note());
        assertEquals(handover.note(), Files.readString(former.resolve("handover.checkpoint")));
        assertFalse(Files.readString(dir.resolve(Config.DATA_DIR_KEY_FILE)).contains(formerKey),
                "the former private key is replaced, not kept");
    }

    @Test
    void theServerSignsOnWithTheNewKeyAndVerifyPassesWithTheFormerCheckpointGivenItsKey() throws Exception {
        recordUnderTheFirstKey();
        Path keptFile = auditor.resolve("kept.checkpoint");
        Files.writeString(keptFile, kept.note());
        assertEquals(0, newKey().code());
        String next;
        try (TestServer server = TestServer.start(dir)) {
            next = server.withHeader(null).get("/api/v1/integrity/key/").body().strip();
            server.admin().record(new JsonObject().put("action", "after").put("user", "u"));
            String latest = server.withHeader(null).get("/api/v1/integrity/checkpoint/").body();
            assertTrue(Checkpoint.parse(latest).signedBy(VerifierKey.parse(next)), latest);
        }
        assertNotEquals(formerKey, next);
        Cli all = Cli.run("verify", "--data-dir", dir.toString());
        assertEquals(0, all.code(), all.err());
        Cli keptAlone = Cli.run("verify", "--data-dir", dir.toString(), "--checkpoint", keptFile.toString());
        assertEquals(1, keptAlone.code(), keptAlone.err());
        Cli keptWithItsKey = Cli.run("verify", "--data-dir", dir.toString(), "--checkpoint", keptFile.toString(),
                "--key", formerKey);
        assertEquals(0, keptWithItsKey.code(), keptWithItsKey.err());
    }

    @Test
    void anAuditorChecksTheHandoverWithTheFormerKeyThenFollowsTheLogWithTheNewOne() throws Exception {
        Needs.require("TOOLS", Script.onPath("python3") && Script.onPath("openssl"),
                "python3 and openssl are needed to run verify-proof.py");
        recordUnderTheFirstKey();
        // What the auditor keeps from before a first change: a checkpoint, and a smaller one, so that a consistency
        // proof has something to prove.
        Path formerKeyFile = Files.writeString(auditor.resolve("former.pub"), formerKey + "\n");
        Checkpoint smaller;
        try (TreeFile tree = TreeFile.open(Integrity.treeFile(dir))) {
            smaller = Checkpoint.sign(SigningKey.load(dir.resolve(Config.DATA_DIR_KEY_FILE)), "actionlog", 2,
                    tree.root(Merkle.sha256(), 2));
        }
        Path keptFile = Files.writeString(auditor.resolve("kept.checkpoint"), smaller.note());
        Cli run = newKey();
        assertEquals(0, run.code(), run.err());
        Path newKeyFile = Files.writeString(auditor.resolve("new.pub"), run.lastLine() + "\n");
        Path handover = Files.copy(dir.resolve("integrity").resolve("former-" + formerKey.split("\\+")[1])
                .resolve("handover.checkpoint"), auditor.resolve("handover.checkpoint"));
        try (TestServer server = TestServer.start(dir)) {
            server.addUser("audrey", Role.AUDITOR);
            String after = server.admin().record(new JsonObject().put("action", "after").put("user", "u"))
                    .getString("resource_uri");
            // A proof of it wants a checkpoint that covers it: signed now, by the new key alone.
            assertEquals(200, server.admin().get(after + "proof/").status());
            String auth = "Authorization: ApiKey audrey:" + server.key("audrey");
            Path consistency = Files.writeString(auditor.resolve("consistency.json"), server.admin()
                    .get("/api/v1/integrity/consistency/?first=2&second=" + kept.size()).body());
            // The handover extends what the auditor kept, checked with the key the auditor already trusts.
            Script first = Script.run("python3", "scripts/verify-proof.py", "--key", formerKeyFile.toString(),
                    "--since", keptFile.toString(), "--consistency", consistency.toString(), handover.toString());
            assertEquals(0, first.code(), first.out());
            // The same note carries the new key's signature: from it on, the new key follows the log.
            Script then = Script.run("python3", "scripts/verify-proof.py", "--key", newKeyFile.toString(),
                    "--since", handover.toString(), "--header", auth, "http://127.0.0.1:" + server.port() + "/");
            assertEquals(0, then.code(), then.out());
            // And the former key alone does not vouch for what was signed after the change.
            Script formerOnNew = Script.run("python3", "scripts/verify-proof.py", "--key", formerKeyFile.toString(),
                    "--since", handover.toString(), "--header", auth, "http://127.0.0.1:" + server.port() + "/");
            assertEquals(1, formerOnNew.code(), formerOnNew.out());
            assertTrue(formerOnNew.out().contains("no signature by key " + formerKey.split("\\+")[0] + "+"),
                    formerOnNew.out());
        }
    }

    @Test
    void aLatestCheckpointTheKeyDidNotSignIsNotVouchedForAndNothingChanges() throws Exception {
        recordUnderTheFirstKey();
        Path log = Integrity.checkpointFile(dir);
        SigningKey other = SigningKey.loadOrCreate(auditor.resolve("other.key"), "actionlog");
        try (CheckpointLog l = CheckpointLog.open(log, "actionlog")) {
            l.append(Checkpoint.sign(other, "actionlog", kept.size() + 1, kept.root()));
        }
        String logBefore = Files.readString(log);
        String keyBefore = Files.readString(dir.resolve(Config.DATA_DIR_KEY_FILE));
        Cli run = newKey();
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("does not verify with the signing key"), run.err());
        assertEquals(logBefore, Files.readString(log));
        assertEquals(keyBefore, Files.readString(dir.resolve(Config.DATA_DIR_KEY_FILE)));
        assertFalse(Files.exists(dir.resolve("integrity").resolve("former-" + formerKey.split("\\+")[1])));
    }

    @Test
    void aKeyFileThatIsALinkIsReplacedWhereItPointsAndTheLinkStays() throws Exception {
        recordUnderTheFirstKey();
        Path link = dir.resolve(Config.DATA_DIR_KEY_FILE);
        Path target = Files.move(link, auditor.resolve("signing.key"));
        Files.createSymbolicLink(link, target);
        Cli run = newKey();
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertEquals(run.lastLine(), SigningKey.load(target).verifierKey(), "the former private key is kept");
        assertEquals(run.lastLine(), Cli.run("integrity", "key", "--data-dir", dir.toString()).out().strip());
    }

    @Test
    void aLogWithATornTailIsRefusedSayingThatAStartCutsItAndAfterOneTheKeyIsReplaced() throws Exception {
        recordUnderTheFirstKey();
        Path log = Integrity.checkpointFile(dir);
        Files.writeString(log, "actionlog\n9\n", java.nio.file.StandardOpenOption.APPEND);
        String keyBefore = Files.readString(dir.resolve(Config.DATA_DIR_KEY_FILE));
        Cli refused = newKey();
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("start the server once"), refused.err());
        assertEquals(keyBefore, Files.readString(dir.resolve(Config.DATA_DIR_KEY_FILE)));
        try (TestServer server = TestServer.start(dir)) {
            assertEquals(200, server.withHeader(null).get("/api/v1/integrity/checkpoint/").status());
        }
        Cli run = newKey();
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("the new log starts with the checkpoint of size " + kept.size()), run.err());
    }

    @Test
    void aRunningServersKeyIsNotReplaced() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", "a").put("user", "u"));
            Cli run = newKey();
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains("in use by another actionlog server"), run.err());
        }
    }

    @Test
    void aDirectoryWithoutAKeyHasNoneToReplace() throws Exception {
        Files.createDirectories(dir.resolve("journal"));
        Cli run = newKey();
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("no signing key at"), run.err());
    }

    /** A start refuses a missing key while the log holds checkpoints: the refusal says what to do instead. */
    @Test
    void aLostKeyOfALogWithCheckpointsIsRefusedSayingHowToStartANewLog() throws Exception {
        recordUnderTheFirstKey();
        Files.delete(dir.resolve(Config.DATA_DIR_KEY_FILE));
        Cli run = newKey();
        assertEquals(1, run.code(), run.err());
        assertFalse(run.err().contains("a first start makes one"), run.err());
        assertTrue(run.err().contains("a lost key cannot sign a handover"), run.err());
        assertTrue(run.err().contains("move " + Integrity.checkpointFile(dir) + " and "
                + Integrity.checkpointFile(dir) + ".falls aside"), run.err());
    }
}
