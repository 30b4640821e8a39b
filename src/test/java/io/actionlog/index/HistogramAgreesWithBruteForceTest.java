package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stats histogram against a plain count over the same actions: whole leaves counted from their state counts
 * (several thousand actions a day, some late, some moved to another state after they were recorded) and the
 * bitmap path of a filtered query must give the same buckets.
 */
class HistogramAgreesWithBruteForceTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long DAY = 24 * HOUR;
    private static final String[] USERS = {"ann", "bob", "cy"};

    private record Model(long start, String user) {
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void bucketsMatchAPlainCount(int seed) {
        Random rnd = new Random(seed);
        ActionIndex index = new ActionIndex();
        List<Model> models = new ArrayList<>();
        byte[] states = new byte[8000];
        long clock = 1_767_225_600_000_000L;
        for (int i = 0; i < states.length; i++) {
            clock += rnd.nextInt(40_000_000);
            long start = rnd.nextInt(50) == 0 ? clock - rnd.nextInt(2) * DAY - rnd.nextInt(1000) : clock;
            Model m = new Model(start, USERS[rnd.nextInt(USERS.length)]);
            models.add(m);
            states[i] = State.values()[rnd.nextInt(2)].code;
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), m.user(), "Build", "GET",
                    "/p", "/o/", List.of(), "10.0.0.1", "unknown", "ua", "", start, true, null, "rec"), states[i],
                    Entry.NO_TIME, "", "", "{}");
            long p = i;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
        long position = states.length;
        for (int k = 0; k < states.length / 4; k++) {
            int o = rnd.nextInt(states.length);
            if (State.ofCode(states[o]).isTerminal()) {
                continue;
            }
            states[o] = State.FAILED.code;
            Entry.StateChanged s = new Entry.StateChanged(o + 1, o, State.FAILED.code, models.get(o).start() + 1,
                    models.get(o).start() + 1, "", "{}");
            long p = position++;
            index.write(() -> {
                index.apply(p, s);
                return null;
            });
        }
        for (int q = 0; q < 200; q++) {
            Query.Builder b = Query.builder();
            long from = models.get(rnd.nextInt(models.size())).start() - rnd.nextInt(3) * DAY;
            b.startFrom = rnd.nextBoolean() ? from : Long.MIN_VALUE;
            b.startTo = rnd.nextBoolean() ? from + rnd.nextInt(5) * DAY + rnd.nextInt(1000) : Long.MAX_VALUE;
            if (rnd.nextBoolean()) {
                b.states(rnd.nextBoolean() ? EnumSet.of(State.FAILED) : EnumSet.of(State.PENDING, State.IN_PROGRESS));
            }
            b.user = rnd.nextInt(3) == 0 ? USERS[rnd.nextInt(USERS.length)] : null;
            long width = rnd.nextBoolean() ? DAY : HOUR;
            Query query = b.build();
            assertEquals(expected(models, states, query, width), actual(index.histogram(query, width, 10_000)),
                    "query " + q);
        }
    }

    @org.junit.jupiter.api.Test
    void moreBucketsThanAllowedIsRefused() {
        ActionIndex index = new ActionIndex();
        for (int i = 0; i < 5; i++) {
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), "ann", "Build", "GET", "/p",
                    "/o/", List.of(), "10.0.0.1", "unknown", "ua", "", i * DAY, true, null, "rec"), (byte) 0,
                    Entry.NO_TIME, "", "", "{}");
            long p = i;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
        assertThrows(Histogram.TooManyBuckets.class, () -> index.histogram(Query.builder().build(), DAY, 4));
        assertEquals(5, index.histogram(Query.builder().build(), DAY, 5).buckets().size());
    }

    private static Map<Long, List<Integer>> expected(List<Model> models, byte[] states, Query q, long width) {
        Map<Long, int[]> counts = new TreeMap<>();
        Set<State> wanted = q.states() == null ? EnumSet.allOf(State.class) : q.states();
        for (int o = 0; o < models.size(); o++) {
            Model m = models.get(o);
            if (m.start() < q.startFrom() || m.start() >= q.startTo() || !wanted.contains(State.ofCode(states[o]))
                    || q.user() != null && !q.user().equals(m.user())) {
                continue;
            }
            counts.computeIfAbsent(Math.floorDiv(m.start(), width) * width, k -> new int[6])[states[o]]++;
        }
        Map<Long, List<Integer>> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).boxed().toList()));
        return out;
    }

    private static Map<Long, List<Integer>> actual(Histogram h) {
        Map<Long, List<Integer>> out = new TreeMap<>();
        h.buckets().forEach(b -> out.put(b.start(), java.util.Arrays.stream(b.counts()).boxed().toList()));
        return out;
    }
}
