package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code verify} reads entries into the holders of a few batches and reads the next batches into the same holders
 * again. Over nine batches whose entries differ in every way one can leave behind for the next (null or not,
 * numbered or written out, as many parents or fewer, Created or a state change or a log append), every leaf is the
 * one of its own entry: the root is the plain tree's.
 */
class VerifyReusedHoldersTest {
    private static final int ENTRIES = 9 * 2048 + 7;
    private static final long JAN_1_2026 = 1_767_225_600_000_000L;
    private static final String LONG = "x".repeat(600); // longer than any numbered value: written out each time
    /** The uuid of an action created without one (verify writes {@code null} for it). */
    private static final UUID NONE = new UUID(0, 0);

    @Test
    void nineBatchesReadIntoReusedHoldersGiveThePlainTreesRoot(@TempDir Path dir) throws Exception {
        MessageDigest sha = Merkle.sha256();
        LeafBytes leaves = new LeafBytes();
        List<byte[]> leafHashes = new ArrayList<>();
        List<UUID> uuidOfId = new ArrayList<>(List.of(NONE));
        List<Entry> entries = new ArrayList<>();
        for (int p = 0; p < ENTRIES; p++) {
            Entry e = switch (p % 7) {
                case 5 -> new Entry.StateChanged(Math.max(1, uuidOfId.size() - 3000), 0, State.FAILED.code,
                        JAN_1_2026 + p, JAN_1_2026 + p + 5, p % 2 == 0 ? "" : "boom " + p, "{\"p\":" + p + "}");
                case 6 -> new Entry.LogAppended(Math.max(1, uuidOfId.size() - 1), 0, 0, JAN_1_2026 + p,
                        p % 3 == 0 ? LONG : "line " + p);
                default -> created(p, uuidOfId);
            };
            entries.add(e);
            UUID of = uuidOfId.get((int) e.id());
            leafHashes.add(Merkle.leafHash(sha, leaves.of(e, of.equals(NONE) ? null : of)));
        }
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS);
             TreeFile tree = TreeFile.open(dir.resolve("tree"))) {
            journal.append(entries);
            for (byte[] h : leafHashes) {
                tree.append(h);
            }
            tree.flush();
        }
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS)) {
            JournalAudit.Result result = new JournalAudit(journal, dir.resolve("tree"), n -> { })
                    .run(List.of(), (position, entry) -> { });
            assertEquals(List.of(), result.problems());
            assertEquals(ENTRIES, result.entries());
            assertArrayEquals(ProofCheck.reference(leafHashes, 0, ENTRIES), result.root());
        }
    }

    /** Fields null or not, numbered (short, repeating) or written out (long), by position. */
    private static Entry created(int p, List<UUID> uuidOfId) {
        UUID uuid = p % 4 == 0 ? null : new UUID(p, 7);
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < p % 3; i++) {
            parents.add(i == 0 ? "/api/v1/stack/" + p % 5 + "/" : LONG + p);
        }
        ActionData data = new ActionData(uuid, p % 5 == 0 ? null : "user" + p % 11, "Act " + p % 4, "POST",
                "/p/" + p + "/", p % 2 == 0 ? "/o/" + p % 13 + "/" : LONG + p, parents,
                p % 3 == 0 ? null : "10.0.0." + p % 9, p % 6 == 0 ? null : "Tallinn, EE", p % 2 == 0 ? LONG : "curl",
                p % 2 == 0 ? "{}" : "{\"n\":" + p + "}", JAN_1_2026 + p, p % 2 == 0,
                p % 8 == 3 ? new UUID(1, p) : null, "rec");
        uuidOfId.add(uuid == null ? NONE : uuid);
        return new Entry.Created(uuidOfId.size() - 1, data, State.PENDING.code,
                p % 3 == 1 ? JAN_1_2026 + p + 9 : Entry.NO_TIME, p % 4 == 2 ? "log " + p : "",
                p % 5 == 1 ? "error " + p : "", p % 2 == 0 ? "{}" : "{\"b\":[1,2],\"a\":\"" + p + "\"}");
    }
}
