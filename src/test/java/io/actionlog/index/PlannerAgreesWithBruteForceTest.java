package io.actionlog.index;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roaringbitmap.RoaringBitmap;

/**
 * Fills the index with random actions (mostly in time order, some late, some moved to other states; all in time
 * order for one seed, the shape a sort by start date can take without sorting) and checks
 * thousands of random queries against a plain filter-and-sort over the same data: totals and pages must match.
 * Queries use either a single {@link Order} or a multi-key {@link Sort}, including the text keys.
 */
class PlannerAgreesWithBruteForceTest {
    private static final long DAY = 86_400_000_000L;
    private static final String[] USERS = {"ann", "bob", "cy", "dee"};
    private static final String[] OBJECTS = {"/o/1/", "/o/2/", "/o/3/", "/o/4/", "/o/5/"};
    private static final String[] METHODS = {"GET", "POST", "DELETE"};
    private static final String[] NAMES = {"Cluster Create", "Cluster Delete", "Node Start", "Build", "build"};
    private static final String[] ERRORS = {"", "", "", "", "timeout", "refused", "Timeout", "disk full"};
    private static final String[] METADATA = {"{}", "{}", "{}", "{\"a\":1}", "{\"a\":2}", "{\"b\":[]}"};

    private record Model(long start, long end, byte state, String user, String object, List<String> parents,
                         String method, String action, String error, String metadata) {
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void randomQueriesMatchAPlainScan(int seed) {
        Random rnd = new Random(seed);
        boolean inTimeOrder = seed == 4;
        ActionIndex index = new ActionIndex();
        List<Model> models = new ArrayList<>();
        int n = 3000 + rnd.nextInt(3000);
        long clock = 1_700_000_000_000_000L;
        long position = 0;
        for (int i = 0; i < n; i++) {
            clock += rnd.nextInt(60_000_000);
            long start = !inTimeOrder && rnd.nextInt(10) == 0 ? clock - rnd.nextInt(3) * DAY / 2 - rnd.nextInt(1000) : clock;
            if (rnd.nextInt(20) == 0 && i > 0) {
                start = models.get(i - 1).start();
            }
            State st = State.values()[rnd.nextInt(3)];
            long end = Entry.NO_TIME;
            Model m = new Model(start, end, st.code, pick(rnd, USERS), pick(rnd, OBJECTS),
                    rnd.nextBoolean() ? List.of(pick(rnd, OBJECTS)) : List.of(), pick(rnd, METHODS),
                    pick(rnd, NAMES), pick(rnd, ERRORS), pick(rnd, METADATA));
            models.add(m);
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), m.user(), m.action(),
                    m.method(), "/p", m.object(), m.parents(), "10.0.0.1", "unknown", "ua", "", start, true, null,
                    "rec"), m.state(), end, "", m.error(), m.metadata());
            long p = position++;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
        for (int k = 0; k < n / 2; k++) {
            int o = rnd.nextInt(n);
            Model m = models.get(o);
            State from = State.ofCode(m.state());
            State to = from.allowedNext().stream().skip(rnd.nextInt(Math.max(1, from.allowedNext().size())))
                    .findFirst().orElse(null);
            if (to == null) {
                continue;
            }
            long end = to.isTerminal() && m.end() == Entry.NO_TIME ? m.start() + rnd.nextInt(1_000_000_000) : m.end();
            Model moved = new Model(m.start(), end, to.code, m.user(), m.object(), m.parents(), m.method(),
                    m.action(), pick(rnd, ERRORS), pick(rnd, METADATA));
            models.set(o, moved);
            Entry.StateChanged s = new Entry.StateChanged(o + 1, 0, to.code, 0, to.isTerminal() ? end : Entry.NO_TIME,
                    moved.error(), moved.metadata());
            long p = position++;
            index.write(() -> {
                index.apply(p, s);
                return null;
            });
        }
        long first = models.stream().mapToLong(Model::start).min().orElseThrow();
        long last = models.stream().mapToLong(Model::start).max().orElseThrow();
        for (int q = 0; q < 1000; q++) {
            Query.Builder b = randomQuery(rnd, first, last);
            if (rnd.nextInt(3) == 0) {
                b.sort = randomSort(rnd);
                b.texts = (key, row) -> key == Sort.Key.ERROR ? models.get(row.ordinal()).error()
                        : key == Sort.Key.ACTION ? models.get(row.ordinal()).action()
                        : models.get(row.ordinal()).metadata();
            }
            check(index, models, b.build());
        }
    }

    private static Sort randomSort(Random rnd) {
        List<Sort.Term> terms = new ArrayList<>();
        for (int i = rnd.nextInt(4); i >= 0; i--) {
            terms.add(new Sort.Term(Sort.Key.values()[rnd.nextInt(Sort.Key.values().length)], rnd.nextBoolean()));
        }
        return Sort.of(terms);
    }

    private static Query.Builder randomQuery(Random rnd, long first, long last) {
        Query.Builder b = Query.builder();
        if (rnd.nextInt(3) == 0) {
            b.states(rnd.nextBoolean() ? EnumSet.of(State.values()[rnd.nextInt(6)])
                    : EnumSet.of(State.values()[rnd.nextInt(6)], State.values()[rnd.nextInt(6)]));
        }
        if (rnd.nextInt(4) == 0) {
            b.user = pick(rnd, USERS);
        }
        if (rnd.nextInt(4) == 0) {
            b.object = pick(rnd, OBJECTS);
            b.includeRelated = rnd.nextBoolean();
        }
        if (rnd.nextInt(6) == 0) {
            b.method = pick(rnd, METHODS);
        }
        if (rnd.nextInt(2) == 0) {
            long a = first + (long) (rnd.nextDouble() * (last - first));
            b.startFrom = rnd.nextBoolean() ? a : Long.MIN_VALUE;
            b.startTo = a + (long) (rnd.nextDouble() * DAY);
        }
        if (rnd.nextInt(6) == 0) {
            b.endFrom = first + (long) (rnd.nextDouble() * (last - first));
        }
        if (rnd.nextInt(8) == 0) {
            RoaringBitmap r = new RoaringBitmap();
            IntStream.range(0, 50).forEach(i -> r.add(rnd.nextInt(2000)));
            b.restrict = r;
        }
        b.order = Order.values()[rnd.nextInt(Order.values().length)];
        if (rnd.nextInt(3) == 0) {
            b.order = Order.START_DESC;
        }
        b.offset = rnd.nextInt(4) == 0 ? rnd.nextInt(3000) : rnd.nextInt(30);
        b.limit = 1 + rnd.nextInt(60);
        return b;
    }

    private static void check(ActionIndex index, List<Model> models, Query q) {
        IntPredicate match = o -> matches(models.get(o), o, q);
        List<Integer> expected = IntStream.range(0, models.size()).filter(match).boxed()
                .sorted(q.sort() != null ? comparator(models, q.sort()) : comparator(models, q.order()))
                .collect(Collectors.toList());
        Page page = index.query(q);
        assertEquals(expected.size(), page.total(), () -> "total for " + q);
        List<Integer> want = expected.subList(Math.min(q.offset(), expected.size()),
                Math.min(q.offset() + q.limit(), expected.size()));
        List<Integer> got = page.rows().stream().map(Row::ordinal).collect(Collectors.toList());
        assertEquals(want, got, () -> "page for " + q);
    }

    private static boolean matches(Model m, int o, Query q) {
        Set<State> states = q.states();
        return (states == null || states.contains(State.ofCode(m.state())))
                && (q.user() == null || q.user().equals(m.user()))
                && (q.object() == null || q.object().equals(m.object())
                    || (q.includeRelated() && m.parents().contains(q.object())))
                && (q.method() == null || q.method().equals(m.method()))
                && m.start() >= q.startFrom() && m.start() < q.startTo()
                && (!q.hasEndRange() || (m.end() != Entry.NO_TIME && m.end() >= q.endFrom() && m.end() < q.endTo()))
                && (q.restrict() == null || q.restrict().contains(o));
    }

    private static Comparator<Integer> comparator(List<Model> models, Order order) {
        Comparator<Integer> byId = Comparator.naturalOrder();
        Comparator<Integer> c = switch (order) {
            case START_ASC, START_DESC -> Comparator.<Integer>comparingLong(o -> models.get(o).start()).thenComparing(byId);
            case END_ASC, END_DESC -> Comparator.<Integer>comparingLong(o -> models.get(o).end()).thenComparing(byId);
            case ID_ASC, ID_DESC -> byId;
        };
        if (order.descending()) {
            c = c.reversed();
        }
        if (order == Order.END_ASC || order == Order.END_DESC) {
            Comparator<Integer> ended = Comparator.comparing(o -> models.get(o).end() == Entry.NO_TIME);
            c = ended.thenComparing(c);
        }
        return c;
    }

    /** The sort's terms one after the other; a term on start date is ordered by (start, id) in its direction. */
    private static Comparator<Integer> comparator(List<Model> models, Sort sort) {
        Comparator<Integer> c = (a, b) -> 0;
        for (Sort.Term t : sort.terms()) {
            Comparator<Integer> k = switch (t.key()) {
                case ID -> Comparator.naturalOrder();
                case START -> Comparator.<Integer>comparingLong(o -> models.get(o).start())
                        .thenComparing(Comparator.naturalOrder());
                case ACTION -> Comparator.comparing(o -> models.get(o).action());
                case OUTCOME -> Comparator.comparingInt(o -> outcomeRank(models.get(o).state()));
                case ERROR -> Comparator.comparing(o -> models.get(o).error());
                case METADATA -> Comparator.comparing(o -> models.get(o).metadata());
            };
            c = c.thenComparing(t.descending() ? k.reversed() : k);
        }
        return c;
    }

    private static int outcomeRank(byte state) {
        State s = State.ofCode(state);
        return s == State.SUCCESS ? 1 : s.isTerminal() ? 0 : 2;
    }

    private static String pick(Random rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }
}
