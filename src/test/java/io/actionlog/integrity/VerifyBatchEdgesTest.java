package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.support.DayClock;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify} at the edges of its batches of {@link AuditBatch#SIZE} leaves: a changed entry at either side of a
 * batch boundary and in the last, shorter batch is named at its position; a journal that retention shortened to
 * start inside a batch (whole batches of stored hashes, then a batch that is part stored hashes, part entries)
 * verifies with the roots of the plain tree at every size, and damage on either side of its start is named.
 */
class VerifyBatchEdgesTest {
    private static final long JAN_1_2026 = 1_767_225_600_000_000L;
    private static final MessageDigest SHA = Merkle.sha256();

    @TempDir
    Path dir;
    private final List<byte[]> leafHashes = new ArrayList<>();
    private final List<UUID> uuids = new ArrayList<>();
    private SigningKey key;

    @ParameterizedTest
    @ValueSource(ints = {2047, 2048, 2 * 2048 + 99})
    void aChangedEntryIsNamedWhereverItFallsInItsBatch(int position) throws IOException {
        write(2 * 2048 + 100, 0);
        JournalEdits.changeByteOfText(dir.resolve("journal"), "/o/" + position + "/");
        List<String> problems = verify(List.of()).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).matches("position " + position + " \\(action " + uuids.get(position) + ", id "
                + (position + 1) + ", created entry, entry \\d+ of cycle file \\d{8}F\\.cq4\\) differs .*"),
                problems.get(0));
    }

    @Test
    void aJournalStartingInsideABatchVerifiesWithThePlainTreesRoots() throws IOException {
        write(4200, 3000);
        List<JournalAudit.Claim> claims = new ArrayList<>();
        for (int size : new int[] {5, 2048, 2500, 3000, 3001, 3500, 4096, 4200}) {
            claims.add(JournalAudit.Claim.of("kept " + size,
                    Checkpoint.sign(key, "actionlog", size, ProofCheck.reference(leafHashes, 0, size)), key.verifier()));
        }
        JournalAudit.Result result = verify(claims);
        assertEquals(List.of(), result.problems());
        assertEquals(4200, result.entries());
        assertArrayEquals(ProofCheck.reference(leafHashes, 0, 4200), result.root());
    }

    @Test
    void aChangedEntryJustAfterTheStartIsNamed() throws IOException {
        write(4200, 3000);
        JournalEdits.changeByteOfText(dir.resolve("journal"), "/o/3002/");
        List<String> problems = verify(List.of()).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("position 3002 (action " + uuids.get(3002) + ", id 3003, created"),
                problems.get(0));
    }

    @Test
    void aChangedStoredHashOfADroppedEntryIsNamedInAWholeOrAPartBatch() throws IOException {
        write(4200, 3000);
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(0, 6));
        assertEquals(List.of("the stored subtree hash of level 1, index 3 (leaves 6 to 7) differs from the"
                + " journal's: the tree file was changed"), verify(List.of()).problems());
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(0, 6));
        JournalEdits.flipStoredHash(dir.resolve("tree"), TreeFile.slot(0, 2998));
        assertEquals(List.of("the stored subtree hash of level 1, index 1499 (leaves 2998 to 2999) differs from the"
                + " journal's: the tree file was changed"), verify(List.of()).problems());
    }

    /**
     * A journal of {@code count} entries and its tree: Created entries, each with an object of its own; with
     * {@code start} &gt; 0, those below it are written a day before the rest, a retention entry records their drop
     * and the day file holding them is dropped.
     */
    private void write(int count, int start) throws IOException {
        key = SigningKey.loadOrCreate(dir.resolve("signing.key"), "actionlog");
        DayClock clock = new DayClock(3);
        LeafBytes leaves = new LeafBytes();
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS, clock);
             TreeFile tree = TreeFile.open(dir.resolve("tree"))) {
            for (int position = 0; position < count; position++) {
                if (position == start && start > 0) {
                    clock.nextDay();
                }
                Entry e = position == start && start > 0 ? new Entry.Dropped("days=1", 0, start, start) : created(position);
                journal.append(List.of(e));
                uuids.add(e instanceof Entry.Created c ? c.data().uuid() : null);
                leafHashes.add(Merkle.leafHash(SHA, leaves.of(e, uuids.get(position))));
                tree.append(leafHashes.get(position));
            }
            tree.flush();
            if (start > 0) {
                journal.drop(journal.segments()[1], () -> { });
                assertEquals(start, journal.first());
            }
        }
    }

    private static Entry.Created created(int position) {
        UUID uuid = new UUID(position, 42);
        return new Entry.Created(position + 1, new ActionData(uuid, "u" + position % 7, "Pay", "POST", "/p/",
                "/o/" + position + "/", List.of(), "10.0.0.1", null, null, "{}", JAN_1_2026 + position, true, null,
                "rec"), State.PENDING.code, Entry.NO_TIME, "", "", "{}");
    }

    private JournalAudit.Result verify(List<JournalAudit.Claim> claims) throws IOException {
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS)) {
            return new JournalAudit(journal, dir.resolve("tree"), n -> { })
                    .run(claims, (position, entry) -> { });
        }
    }
}
