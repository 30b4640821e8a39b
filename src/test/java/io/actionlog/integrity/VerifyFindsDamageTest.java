package io.actionlog.integrity;

import io.actionlog.auth.Role;
import io.actionlog.journal.Entry;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage done to a stopped server's data directory, as someone with write access to it could do it: {@code verify}
 * exits 1 and names the damage, where it is and, for a changed journal, the action it belongs to.
 */
class VerifyFindsDamageTest {
    private static final String SECRET = "transfer approved by treasurer";

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    /** Records six actions (one with a state change and a log append), stops the server; returns the uuids. */
    private List<String> recordAndStop() throws Exception {
        List<String> uuids = new ArrayList<>();
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 6; i++) {
                JsonObject a = rec.record(new JsonObject().put("action", "Pay " + i).put("user", "u" + i)
                        .put("body", i == 3 ? SECRET : "{}"));
                uuids.add(a.getString("uuid"));
                if (i == 1) {
                    rec.patch(a.getString("resource_uri"), new JsonObject().put("state", "In progress"));
                    rec.postText(a.getString("resource_uri") + "logs/", "step one\n");
                }
            }
        }
        return uuids;
    }

    private Cli verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "--data-dir", dir.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void anUntouchedDirectoryVerifiesWithItsSizeAndRoot() throws Exception {
        recordAndStop();
        Cli run = verify();
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("tree_size 8\n"), run.out());
        assertTrue(run.out().contains("integrity ok"), run.out());
        assertTrue(run.err().matches("(?s).*verify: 8 entries in \\d+\\.\\d s, [\\d,]+ entries/s\n"), run.err());
        Checkpoint last = CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest();
        assertTrue(run.out().contains("tree_root " + java.util.Base64.getEncoder().encodeToString(last.root())));
    }

    @Test
    void anUntouchedDirectoryCountsItsActionsByTheirLatestState() throws Exception {
        recordAndStop();
        Cli run = verify();
        assertEquals(0, run.code(), run.err());
        // Six actions recorded in the default state (Pending); the second one then changed to In progress.
        assertTrue(run.out().contains("actions 6\nstate.Pending 5\nstate.In_progress 1\n"), run.out());
    }

    @Test
    void aChangedByteInATextWithItsCrcRecomputedIsNamedWithItsAction() throws Exception {
        List<String> uuids = recordAndStop();
        JournalEdits.changeByteOfText(dir.resolve("journal"), SECRET);
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        // Action 3 is the fifth entry: actions 0 and 1, then 1's state change and log append, then 2 and 3.
        assertTrue(java.util.regex.Pattern.compile("position 5 \\(action " + uuids.get(3) + ", id 4, created entry, "
                + "entry \\d+ of cycle file \\d{8}F\\.cq4\\)").matcher(run.err()).find(), run.err());
    }

    @Test
    void anEntryRemovedFromTheMiddleIsNamed() throws Exception {
        List<String> uuids = recordAndStop();
        JournalEdits.rewrite(dir.resolve("journal"), entries -> {
            entries.remove(3);
            return entries;
        });
        Cli run = verify();
        assertEquals(1, run.code());
        assertTrue(run.err().contains("position 3 (action " + uuids.get(2)), run.err());
        assertTrue(run.err().contains("entries were removed"), run.err());
    }

    @Test
    void twoSwappedEntriesAreNamed() throws Exception {
        List<String> uuids = recordAndStop();
        JournalEdits.rewrite(dir.resolve("journal"), entries -> {
            Entry e = entries.get(4);
            entries.set(4, entries.get(5));
            entries.set(5, e);
            return entries;
        });
        Cli run = verify();
        assertEquals(1, run.code());
        assertTrue(run.err().contains("position 4 (action " + uuids.get(3)), run.err());
    }

    @Test
    void aTailTruncatedBelowTheLatestCheckpointIsNamed() throws Exception {
        recordAndStop();
        JournalEdits.rewrite(dir.resolve("journal"), entries -> new ArrayList<>(entries.subList(0, 5)));
        Files.delete(Integrity.treeFile(dir));
        Cli run = verify();
        assertEquals(1, run.code());
        assertTrue(run.err().contains("checkpoint of size 8 (checkpoint log): covers more entries than the journal's 5"),
                run.err());
    }

    @Test
    void aRolledBackDirectoryFailsAgainstACheckpointKeptFromBefore() throws Exception {
        recordAndStop();
        Path copy = elsewhere.resolve("copy");
        JournalEdits.copyTree(dir, copy);
        try (TestServer server = TestServer.start(dir)) {
            server.admin().record(new JsonObject().put("action", "Later").put("user", "u"));
        }
        Path kept = elsewhere.resolve("kept-checkpoint");
        Files.writeString(kept, CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest().note());
        JournalEdits.deleteTree(dir);
        JournalEdits.copyTree(copy, dir);
        assertEquals(0, verify().code(), "the old copy is consistent in itself");
        Cli run = verify("--checkpoint", kept.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("checkpoint of size 9 (" + kept + "): covers more entries than the journal's 8"),
                run.err());
    }

    @Test
    void aForgedCheckpointIsNamed() throws Exception {
        recordAndStop();
        Checkpoint real = CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest();
        String forged = real.note().replaceFirst("\n" + real.size() + "\n", "\n" + (real.size() + 1) + "\n");
        Path file = elsewhere.resolve("forged");
        Files.writeString(file, forged);
        Cli run = verify("--checkpoint", file.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("checkpoint of size 9 (" + file + "): its signature does not verify"), run.err());
    }

    @Test
    void aKeptCheckpointWithExtensionLinesAndAWitnessCosignatureChecks() throws Exception {
        recordAndStop();
        Checkpoint real = CheckpointLog.open(Integrity.checkpointFile(dir), "actionlog").latest();
        // tlog-checkpoint allows extension lines under the root hash; a witness adds its own signature line.
        String body = Checkpoint.body("actionlog", real.size(), real.root()) + "witnessed-at 1764900000\n";
        SigningKey key = SigningKey.load(dir.resolve("integrity/signing.key"));
        SigningKey witness = SigningKey.loadOrCreate(elsewhere.resolve("witness.key"), "witness.example");
        String note = body + "\n" + signatureLine(witness, body) + signatureLine(key, body);
        Path file = elsewhere.resolve("extended");
        Files.writeString(file, note);
        Cli run = verify("--checkpoint", file.toString());
        assertEquals(0, run.code(), run.err());

        Files.writeString(file, note.replace("witnessed-at 1764900000", "witnessed-at 1764900001"));
        Cli changed = verify("--checkpoint", file.toString());
        assertEquals(1, changed.code());
        assertTrue(changed.err().contains("checkpoint of size " + real.size() + " (" + file + "): its signature does "
                + "not verify"), changed.err());
    }

    @Test
    void aSignedCheckpointOfNoLeavesWithAnotherRootThanTheEmptyTreesIsNamed() throws Exception {
        recordAndStop();
        SigningKey key = SigningKey.load(dir.resolve("integrity/signing.key"));
        byte[] root = new byte[Merkle.HASH_BYTES];
        root[0] = 1;
        String body = Checkpoint.body("actionlog", 0, root);
        Path file = elsewhere.resolve("empty");
        Files.writeString(file, body + "\n" + signatureLine(key, body));
        Cli run = verify("--checkpoint", file.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("checkpoint of size 0 (" + file + "): its root is not the empty tree's"),
                run.err());

        String empty = Checkpoint.body("actionlog", 0, java.security.MessageDigest.getInstance("SHA-256").digest());
        Files.writeString(file, empty + "\n" + signatureLine(key, empty));
        assertEquals(0, verify("--checkpoint", file.toString()).code());
    }

    private static String signatureLine(SigningKey key, String body) {
        byte[] signature = key.sign(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "\u2014 " + key.name() + " " + java.util.Base64.getEncoder().encodeToString(
                SigningKey.concat(key.keyId(), signature)) + "\n";
    }

    @Test
    void aForgedCheckpointAmongOverAThousandInTheLogIsNamedAlone() throws Exception {
        int count = 1100; // more than verify reads before it checks their signatures together
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < count; i++) {
                lines.append(new JsonObject().put("action", "Bulk " + i).encode()).append('\n');
            }
            assertEquals(200, rec.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                    "application/x-ndjson").status());
        }
        // A log of one checkpoint per size, as years of a busy server's would be, one of them forged.
        Path log = Integrity.checkpointFile(dir);
        Files.delete(log);
        SigningKey key = SigningKey.load(dir.resolve(io.actionlog.config.Config.DATA_DIR_KEY_FILE));
        java.security.MessageDigest sha = Merkle.sha256();
        try (TreeFile tree = TreeFile.open(Integrity.treeFile(dir));
             CheckpointLog stored = CheckpointLog.open(log, "actionlog")) {
            for (long size = 1; size <= count; size++) {
                Checkpoint c = Checkpoint.sign(key, "actionlog", size, tree.root(sha, size));
                stored.append(size != 1098 ? c : Checkpoint.parse(c.note().replace("\n1098\n", "\n1097\n")));
            }
        }
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        // Of the size of the one before it but another note, as a start signs after a latest it could not trust: the
        // order holds, the signature does not.
        assertEquals(List.of("integrity: checkpoint of size 1097 (checkpoint log): its signature does not verify with "
                + "key actionlog+" + java.util.HexFormat.of().formatHex(key.verifier().keyId())
                + ": it is forged, or another log's (signed with another key)"),
                run.err().lines().filter(l -> l.startsWith("integrity:")).toList());
    }

    @Test
    void aChangedStoredSubtreeHashIsNamed() throws Exception {
        recordAndStop();
        try (FileChannel ch = FileChannel.open(Integrity.treeFile(dir), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long at = TreeFile.slot(2, 0) * 32 + 7;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            ch.write(b, at);
        }
        Cli run = verify();
        assertEquals(1, run.code());
        assertTrue(run.err().contains("stored subtree hash of level 2, index 0 (leaves 0 to 3)"), run.err());
    }
}
