package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.journal.Entry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sort on action name costs what the sorted actions hold, not what the whole index holds: "crowd" recorded
 * 100,000 distinct names, and pat's 300 actions, each with an error of its own, sorted by error then name, must not
 * walk those names once per error (30 million lookups, under the read lock that every write waits for). What it
 * costs is measured by hand (a request, not a test); these check that grouping by the set's own names keeps the
 * order that walking every name gave.
 */
class SortByNameAmongManyTest {
    static final int CROWD = 100_000;
    static final int PAT = 300;
    static ActionIndex index;

    @BeforeAll
    static void fill() {
        index = new ActionIndex();
        for (int i = 0; i < CROWD + PAT; i++) {
            boolean pat = i >= CROWD;
            int n = i - CROWD;
            // pat's names repeat in threes, out of id order; its errors run backwards, so no order agrees with id.
            String name = pat ? "Name " + (char) ('c' - n % 3) : "Crowd " + i;
            String error = pat ? String.format("error %03d", PAT - n) : "";
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), pat ? "pat" : "crowd", name,
                    "GET", "/p", "/o/", List.of(), "10.0.0.1", "unknown", "ua", "", 1_700_000_000_000_000L + i, true,
                    null, "rec"), (byte) 0, Entry.NO_TIME, "", error, "{}");
            long p = i;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
    }

    private static int[] page(List<Sort.Term> terms) {
        Query.Builder b = Query.builder();
        b.user = "pat";
        b.sort = Sort.of(terms);
        b.texts = (key, row) -> key == Sort.Key.ACTION ? "Name " + (char) ('c' - (row.ordinal() - CROWD) % 3)
                : String.format("error %03d", PAT - (row.ordinal() - CROWD));
        b.limit = PAT;
        return index.query(b.build()).rows().stream().mapToInt(Row::ordinal).toArray();
    }

    @Test
    void aFewActionsSortedByErrorThenNameAmongManyNamesComeInThatOrder() {
        int[] byErrorThenName = page(List.of(new Sort.Term(Sort.Key.ERROR, false),
                new Sort.Term(Sort.Key.ACTION, false)));
        int[] expected = new int[PAT];
        for (int k = 0; k < PAT; k++) {
            expected[k] = CROWD + PAT - 1 - k; // error 001 is pat's last action
        }
        assertArrayEquals(expected, byErrorThenName);
    }

    @Test
    void namesAreInTextOrderEitherWayAndTiesByNewestFirst() {
        int[] ascending = page(List.of(new Sort.Term(Sort.Key.ACTION, false)));
        int[] descending = page(List.of(new Sort.Term(Sort.Key.ACTION, true)));
        for (int k = 0; k < PAT; k++) {
            int first = ascending[k] - CROWD;
            int last = descending[k] - CROWD;
            // "Name a" (n % 3 == 2) first, ascending; within a name, the newest start first.
            assertTrue(k < PAT / 3 ? first % 3 == 2 : k < 2 * PAT / 3 ? first % 3 == 1 : first % 3 == 0, "row " + k);
            assertTrue(k < PAT / 3 ? last % 3 == 0 : k < 2 * PAT / 3 ? last % 3 == 1 : last % 3 == 2, "row " + k);
            if (k % (PAT / 3) > 0) {
                assertTrue(ascending[k] < ascending[k - 1] && descending[k] < descending[k - 1], "row " + k);
            }
        }
    }
}
