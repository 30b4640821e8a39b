package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Uuids made from numbers (Python's {@code UUID(int=pk)}) all have a high half of 0. Every lookup of one must still
 * name at most two candidates, each a journal read for the caller, however many share that half: otherwise each
 * write of such a uuid reads them all, and a bulk load of them is quadratic on the writer thread.
 */
class CrowdedUuidsTest {
    static final int N = 5_000;

    static List<Entry> journal() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            // Every fourth one is random, so the crowded ones sit among ordinary neighbours.
            UUID uuid = i % 4 == 3 ? UUID.randomUUID() : new UUID(0, i);
            entries.add(new Entry.Created(i + 1, new ActionData(uuid, "u", "Migrate", "POST", "/p", "/o/", List.of(),
                    "10.0.0.1", "unknown", "ua", "", 1_700_000_000_000_000L + i, true, null, "rec"), (byte) 0,
                    Entry.NO_TIME, "", "", "{}"));
        }
        return entries;
    }

    static UUID uuidOf(List<Entry> entries, long position) {
        return ((Entry.Created) entries.get((int) position)).data().uuid();
    }

    static void assertEachFoundAmongAtMostTwo(ActionIndex index, List<Entry> entries) {
        for (int i = 0; i < N; i++) {
            List<Row> rows = index.uuidCandidates(uuidOf(entries, i));
            int ordinal = i;
            assertTrue(rows.size() <= 2, "uuid " + i + ": " + rows.size() + " candidates");
            assertTrue(rows.stream().anyMatch(r -> r.ordinal() == ordinal), "uuid " + i + " not among " + rows);
        }
        assertEquals(List.of(), index.uuidCandidates(new UUID(0, N + 7)).stream()
                .filter(r -> uuidOf(entries, r.created()).equals(new UUID(0, N + 7))).toList());
    }

    @Test
    void writtenOneByOneEachIsFoundAmongAtMostTwo() {
        List<Entry> entries = journal();
        ActionIndex index = new ActionIndex();
        for (int i = 0; i < N; i++) {
            int p = i;
            index.write(() -> {
                index.apply(p, entries.get(p));
                return null;
            });
        }
        assertEachFoundAmongAtMostTwo(index, entries);
    }

    @Test
    void replayedThenResolvedEachIsFoundAmongAtMostTwo() {
        List<Entry> entries = journal();
        ActionIndex index = new ActionIndex();
        index.replay(consumer -> {
            for (int i = 0; i < N; i++) {
                consumer.accept(i, entries.get(i));
            }
            return N;
        });
        // Before its uuids are read, a crowded lookup is still right, only wider.
        List<Row> before = index.uuidCandidates(new UUID(0, 42));
        assertTrue(before.stream().anyMatch(r -> r.ordinal() == 42), before.toString());
        int crowded = N - N / 4 - 1;
        assertEquals(crowded, index.resolveUuids(position -> uuidOf(entries, position)));
        assertEachFoundAmongAtMostTwo(index, entries);
        // Later writes of the same kind go on from there.
        UUID later = new UUID(0, N + 1);
        index.write(() -> {
            index.apply(N, new Entry.Created(N + 1, new ActionData(later, "u", "Migrate", "POST", "/p", "/o/",
                    List.of(), "10.0.0.1", "unknown", "ua", "", 1_700_000_000_000_000L + N, true, null, "rec"),
                    (byte) 0, Entry.NO_TIME, "", "", "{}"));
            return null;
        });
        List<Row> rows = index.uuidCandidates(later);
        assertTrue(rows.size() <= 2 && rows.stream().anyMatch(r -> r.ordinal() == N), rows.toString());
    }
}
