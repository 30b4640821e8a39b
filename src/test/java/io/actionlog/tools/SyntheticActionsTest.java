package io.actionlog.tools;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated load is the mix the benchmark promises: states, dates, objects, users and sizes. */
class SyntheticActionsTest {
    private static final long FIRST_START = 1_767_225_600_000_000L; // 2026-01-01T00:00Z
    private static final long DAY = 86_400_000_000L;
    private static final int COUNT = 40_000;

    @Test
    void theMixIsEightyFifteenFiveOverThirtyDaysTenThousandObjectsAndAThousandUsers() {
        List<NewAction> all = generate(1, COUNT);
        Map<State, Integer> states = new EnumMap<>(State.class);
        Set<String> objects = new HashSet<>();
        Set<String> users = new HashSet<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long valueBytes = 0;
        for (NewAction a : all) {
            states.merge(a.state(), 1, Integer::sum);
            objects.add(a.data().object());
            users.add(a.data().user());
            first = Math.min(first, a.data().startDate());
            last = Math.max(last, a.data().startDate());
            valueBytes += valueBytes(a);
            assertEquals(a.state().isTerminal(), a.endDate() != Long.MIN_VALUE, "only finished actions have an end");
        }
        assertEquals(3, states.size(), "Success, Failed and In progress only: " + states);
        assertBetween(0.78, 0.82, share(states, State.SUCCESS), "Success");
        assertBetween(0.135, 0.165, share(states, State.FAILED), "Failed");
        assertBetween(0.04, 0.06, share(states, State.IN_PROGRESS), "In progress");
        assertTrue(first >= FIRST_START - 2_000_000L, "starts at the first day (a little jitter allowed)");
        assertTrue(last < FIRST_START + 30 * DAY && last - first > 29 * DAY, "start dates span the 30 days");
        // 40,000 draws from 10,000 objects reach about 98 % of them; every one of the 1,000 users is drawn.
        assertTrue(objects.size() > 9_500 && objects.size() <= SyntheticActions.OBJECTS, objects.size() + " objects");
        assertEquals(SyntheticActions.USERS, users.size());
        // About 240 bytes of texts; with the keys, dates and flags of a JSON line, about 510 (see BulkIngestTest).
        assertBetween(220, 270, valueBytes / (double) COUNT, "bytes of field texts per action");
    }

    @Test
    void theSameSeedGivesTheSameActionsAndAnotherSeedOthers() {
        assertEquals(generate(7, 500), generate(7, 500));
        List<NewAction> other = generate(8, 500);
        assertNotEquals(generate(7, 500).get(0).data().uuid(), other.get(0).data().uuid());
        Set<Object> uuids = new HashSet<>();
        generate(7, 500).forEach(a -> uuids.add(a.data().uuid()));
        other.forEach(a -> uuids.add(a.data().uuid()));
        assertEquals(1_000, uuids.size(), "two seeds share no uuid");
    }

    private static List<NewAction> generate(long seed, int count) {
        SyntheticActions generator = new SyntheticActions(seed, count, FIRST_START);
        List<NewAction> out = new ArrayList<>();
        while (generator.hasNext()) {
            out.add(generator.next());
        }
        return out;
    }

    /** UTF-8 bytes of every text of the action, uuid included as its 36 characters. */
    private static int valueBytes(NewAction a) {
        ActionData d = a.data();
        int n = 36;
        for (String s : new String[]{d.user(), d.action(), d.method(), d.path(), d.object(), d.ip(), d.location(),
                d.userAgent(), d.body(), a.logs(), a.error(), a.metadata(), d.recordedBy()}) {
            n += s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
        }
        for (String p : d.parents()) {
            n += p.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    private static double share(Map<State, Integer> states, State state) {
        return states.getOrDefault(state, 0) / (double) COUNT;
    }

    private static void assertBetween(double low, double high, double value, String what) {
        assertTrue(value >= low && value <= high, what + ": " + value + " not within " + low + "-" + high);
    }
}
