package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify} hashes the journal in batches of 2,048 leaves on several threads; over a journal
 * of two full batches and a part, with state changes of actions created batches earlier, its root, the roots at
 * checkpoint sizes inside and at the edges of batches, and the first damage it names are those of the plain,
 * one-leaf-at-a-time tree.
 */
class VerifyAcrossBatchesTest {
    private static final int ENTRIES = 2 * 2048 + 100;
    private static final long JAN_1_2026 = 1_767_225_600_000_000L;

    @TempDir
    static Path dir;
    private static final MessageDigest SHA = Merkle.sha256();
    private static final List<byte[]> leafHashes = new ArrayList<>();
    private static final List<UUID> uuidOfPosition = new ArrayList<>();
    private static SigningKey key;

    /**
     * One journal for all the tests (each test that damages the tree undoes it). Every 5th entry moves the action
     * created 2,500 entries before it (or the first): an earlier batch's.
     */
    @BeforeAll
    static void journalAndTree() throws IOException {
        key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
        List<UUID> uuidOfId = new ArrayList<>(List.of(new UUID(0, 0)));
        LeafBytes leaves = new LeafBytes();
        List<Entry> entries = new ArrayList<>();
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS);
             TreeFile tree = TreeFile.open(dir.resolve("tree"))) {
            for (int position = 0; position < ENTRIES; position++) {
                Entry e;
                if (position % 5 == 4) {
                    long id = Math.max(1, uuidOfId.size() - 2500);
                    e = new Entry.StateChanged(id, 0, State.SUCCESS.code, JAN_1_2026 + position, Entry.NO_TIME, "",
                            "{\"n\":" + position + "}");
                } else {
                    UUID uuid = new UUID(position, 42);
                    e = new Entry.Created(uuidOfId.size(), new ActionData(uuid, "u" + position, "Pay", "POST", "/p/",
                            "/o/" + position + "/", List.of(), "10.0.0.1", null, null, "{}", JAN_1_2026 + position, true,
                            null, "rec"), State.PENDING.code, Entry.NO_TIME, "", "", "{}");
                    uuidOfId.add(uuid);
                }
                entries.add(e);
                UUID uuid = uuidOfId.get((int) e.id());
                uuidOfPosition.add(uuid);
                leafHashes.add(Merkle.leafHash(SHA, leaves.of(e, uuid)));
                tree.append(leafHashes.get(position));
            }
            tree.flush();
            journal.append(entries);
        }
    }

    private static JournalAudit.Result verify(List<JournalAudit.Claim> claims) throws IOException {
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS)) {
            return new JournalAudit(journal, dir.resolve("tree"), n -> { })
                    .run(claims, (position, entry) -> { });
        }
    }

    private static JournalAudit.Claim claim(long size, byte[] root) {
        return JournalAudit.Claim.of("kept " + size, Checkpoint.sign(key, "actionlog", size, root), key.verifier());
    }

    @Test
    void rootsAtEverySizeAreThoseOfThePlainTree() throws IOException {
        List<JournalAudit.Claim> claims = new ArrayList<>();
        for (long size : new long[] {1, 2047, 2048, 2049, 3000, 4096, 4097, ENTRIES}) {
            claims.add(claim(size, ProofCheck.reference(leafHashes, 0, (int) size)));
        }
        JournalAudit.Result result = verify(claims);
        assertEquals(List.of(), result.problems());
        assertEquals(ENTRIES, result.entries());
        assertArrayEquals(ProofCheck.reference(leafHashes, 0, ENTRIES), result.root());
    }

    @Test
    void aCheckpointInsideABatchWithAnotherRootIsNamed() throws IOException {
        JournalAudit.Result result = verify(List.of(claim(3000, ProofCheck.reference(leafHashes, 0, 2999))));
        assertEquals(1, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().get(0).startsWith("checkpoint of size 3000 (kept 3000): its root"),
                result.problems().get(0));
    }

    @Test
    void aChangedLeafInALaterBatchIsNamedWithItsAction() throws IOException {
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(0, 3004));
        List<String> problems = verify(List.of()).problems();
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(0, 3004));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("position 3004 (action " + uuidOfPosition.get(3004) + ", id "),
                problems.get(0));
        assertTrue(problems.get(0).matches(".*, state entry, entry \\d+ of cycle file \\d{8}F\\.cq4\\) differs .*"),
                problems.get(0));
    }

    @Test
    void aChangedNodeInsideOrAboveABatchIsNamed() throws IOException {
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(3, 300));
        List<String> inside = verify(List.of()).problems();
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(3, 300));
        assertEquals(List.of("the stored subtree hash of level 3, index 300 (leaves 2400 to 2407) differs from the"
                + " journal's: the tree file was changed"), inside);
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(12, 0));
        List<String> problems = verify(List.of()).problems();
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(12, 0));
        assertEquals(List.of("the stored subtree hash of level 12, index 0 (leaves 0 to 4095) differs from the"
                + " journal's: the tree file was changed"), problems);
    }
}
