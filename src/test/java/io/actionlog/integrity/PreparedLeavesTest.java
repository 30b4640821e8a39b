package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;
import io.actionlog.store.Entries;
import io.actionlog.store.Writer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree keeper hashes leaves as the writer appends and appends them to the tree when the entries are published:
 * whether a batch's leaves were prepared (from the entry, or from the halves a bulk worker wrote ahead), some of them
 * were not (a preparation that failed, or entries appended before), or a batch was held back behind the next one's
 * preparation (its sync failed), the tree is the one the start-up's catch-up hashes from the journal alone.
 */
class PreparedLeavesTest {

    @Test
    void leavesPreparedOutOfStepOrNotAtAllGiveTheTreeOfTheJournal(@TempDir Path dir) throws Exception {
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS);
             TreeFile kept = TreeFile.open(dir.resolve("kept"));
             TreeFile hashed = TreeFile.open(dir.resolve("hashed"))) {
            ActionIndex index = new ActionIndex();
            TreeKeeper keeper = new TreeKeeper(kept, journal, index);
            ValueNumbers numbers = new ValueNumbers();
            List<Writer.Applied> heldBack = new ArrayList<>();
            for (int batch = 0; batch < 12; batch++) {
                List<Writer.Applied> applied = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    NewAction action = i % 5 == 4 ? null : action(index.size() + 1L, i);
                    Entry entry = action == null ? stateChange(index.size(), i)
                            : Entries.created(index.size() + 1L, action);
                    // Bulk's worker writes the halves before the writer gives the id, and on another thread.
                    Object ahead = batch % 4 == 3 && action != null
                            ? CompletableFuture.supplyAsync(() -> keeper.ahead(action)).join() : null;
                    long position = journal.append(entry, numbers);
                    index.apply(position, entry, numbers);
                    applied.add(new Writer.Applied(position, entry));
                    if (batch % 4 != 1 && (batch % 4 != 2 || i % 7 != 3)) {
                        keeper.appended(position, entry, numbers, ahead);
                    }
                }
                heldBack.addAll(applied);
                if (batch % 4 != 0) { // the first of every four is held back, as after a failed sync
                    keeper.published(List.copyOf(heldBack));
                    heldBack.clear();
                }
            }
            keeper.published(List.copyOf(heldBack));
            new TreeKeeper(hashed, journal, index).catchUp(journal);
            MessageDigest sha = Merkle.sha256();
            assertEquals(journal.size(), kept.size());
            assertEquals(journal.size(), hashed.size());
            for (long n = 1; n <= journal.size(); n += 37) {
                assertArrayEquals(hashed.root(sha, n), kept.root(sha, n), "root of " + n + " leaves");
            }
            assertArrayEquals(hashed.root(sha, journal.size()), kept.root(sha, journal.size()));
        }
    }

    /** Mostly new actions with repeated values, and state changes of the action before. */
    private static NewAction action(long nextId, int i) {
        ActionData data = new ActionData(UUID.randomUUID(), "user" + i % 3, "Service Start", "POST", "/p/" + nextId
                + "/", "/api/v1/service/" + i % 4 + "/", List.of("/api/v1/stack/1/"), "10.0.0." + i % 2, "Tallinn, EE",
                "agent \"1\"", "{\"n\":" + i + "}", 1_700_000_000_000_000L + nextId, true, null, "generator");
        return new NewAction(data, State.IN_PROGRESS, Entry.NO_TIME, "log é " + i, i % 2 == 0 ? "" : "err\n",
                i % 3 == 0 ? "{}" : "{\"b\":" + i + ",\"a\":\"x\"}", Set.of());
    }

    private static Entry stateChange(long id, int i) {
        return new Entry.StateChanged(id, 0, State.SUCCESS.code, 1_700_000_002_000_000L + i,
                1_700_000_002_000_000L + i, "", "{}");
    }
}
