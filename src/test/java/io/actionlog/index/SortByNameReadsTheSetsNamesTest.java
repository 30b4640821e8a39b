package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roaringbitmap.RoaringBitmap;

/**
 * A sort on action name of a set with fewer actions than the index has names reads the names of the set's actions
 * (through {@link TextKeys}, one each) instead of walking every name of the index, and its pages are exactly those
 * of the walk: random data with many names (most actions named alone) and with few, both directions, the name
 * alone or before and after outcome, error and start date. The walk's pages come from {@link ActionIndex#matches},
 * which never reads; a sort on error, which it refuses, is checked against the data sorted here.
 */
class SortByNameReadsTheSetsNamesTest {
    private static final String[] FEW_NAMES = {"Build", "build", "Alpha", "Zeta", "Ätna"};
    private static final String[] ERRORS = {"", "", "timeout", "refused"};
    private static final Sort.Key[] OTHER_KEYS = {Sort.Key.OUTCOME, Sort.Key.ERROR, Sort.Key.START, Sort.Key.ID};

    private record Model(String user, String name, byte state, String error, long start) {
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void pagesFromTheSetsOwnNamesAreThoseOfTheWalkThroughEveryName(int seed) {
        Random rnd = new Random(seed);
        boolean manyNames = seed % 2 == 1;
        List<Model> models = new ArrayList<>();
        ActionIndex index = fill(rnd, manyNames, models);
        int names = (int) models.stream().map(Model::name).distinct().count();
        AtomicInteger nameReads = new AtomicInteger();
        TextKeys texts = (key, row) -> {
            Model m = models.get(row.ordinal());
            if (key == Sort.Key.ACTION) {
                nameReads.incrementAndGet();
                return m.name();
            }
            return key == Sort.Key.ERROR ? m.error() : "{}";
        };
        for (int k = 0; k < 400; k++) {
            Query.Builder b = Query.builder();
            if (rnd.nextBoolean()) {
                b.user = "u" + rnd.nextInt(12);
            } else {
                RoaringBitmap r = new RoaringBitmap();
                IntStream.range(0, 1 + rnd.nextInt(manyNames ? 80 : 4)).forEach(i -> r.add(rnd.nextInt(models.size())));
                b.restrict = r;
            }
            b.sort = randomSortWithName(rnd);
            b.texts = rnd.nextInt(8) == 0 && b.sort.textKeys().isEmpty() ? null : texts;
            b.offset = rnd.nextInt(4) == 0 ? rnd.nextInt(60) : 0;
            b.limit = 1 + rnd.nextInt(30);
            Query q = b.build();
            nameReads.set(0);
            Page page = index.query(q);
            List<Integer> got = page.rows().stream().map(Row::ordinal).collect(Collectors.toList());
            assertEquals(expected(index, models, q), got, () -> "page for " + q.sort() + " offset " + q.offset());
            boolean byName = q.sort().terms().stream().anyMatch(t -> t.key() == Sort.Key.ACTION);
            int total = (int) page.total();
            int reads = q.texts() != null && byName && total < names ? total : 0;
            assertEquals(reads, nameReads.get(), () -> "names read for " + total + " actions among " + names
                    + " names, " + q.sort());
        }
    }

    /**
     * 3,000 actions of users u0..u11 (u0 has 3, u1 30, the others the rest); with many names, three in four actions
     * have a name of their own and the rest share five; start dates often tie.
     */
    private static ActionIndex fill(Random rnd, boolean manyNames, List<Model> models) {
        ActionIndex index = new ActionIndex();
        long start = 1_700_000_000_000_000L;
        for (int i = 0; i < 3000; i++) {
            String user = i % 1000 == 7 ? "u0" : i % 100 == 3 ? "u1" : "u" + (2 + rnd.nextInt(10));
            String name = manyNames && rnd.nextInt(4) > 0 ? "Name " + rnd.nextInt(1_000_000)
                    : FEW_NAMES[rnd.nextInt(FEW_NAMES.length)];
            State state = State.values()[rnd.nextInt(State.values().length)];
            start += rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1_000_000);
            Model m = new Model(user, name, state.code, ERRORS[rnd.nextInt(ERRORS.length)], start);
            models.add(m);
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), user, name, "GET", "/p",
                    "/o/", List.of(), "10.0.0.1", "unknown", "ua", "", start, true, null, "rec"), m.state(),
                    Entry.NO_TIME, "", m.error(), "{}");
            long p = i;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
        return index;
    }

    /** Up to three other terms, with the name among them at a random place, each in a random direction. */
    private static Sort randomSortWithName(Random rnd) {
        List<Sort.Term> terms = new ArrayList<>();
        HashSet<Sort.Key> used = new HashSet<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            Sort.Key key = OTHER_KEYS[rnd.nextInt(OTHER_KEYS.length)];
            if (used.add(key)) {
                terms.add(new Sort.Term(key, rnd.nextBoolean()));
            }
        }
        // Before a total key (start date, id), which ends the sort: otherwise Sort.of would drop the name.
        int last = terms.size();
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).key().total()) {
                last = i;
                break;
            }
        }
        terms.add(rnd.nextInt(last + 1), new Sort.Term(Sort.Key.ACTION, rnd.nextBoolean()));
        return Sort.of(terms);
    }

    /** The walk's page; for a sort on error, which the walk refuses, the data sorted here by the same terms. */
    private static List<Integer> expected(ActionIndex index, List<Model> models, Query q) {
        if (q.sort().textKeys().isEmpty()) {
            int[] all = index.matches(q, () -> 0).ordinals();
            int from = Math.min(q.offset(), all.length);
            return Arrays.stream(all, from, Math.min(from + q.limit(), all.length)).boxed()
                    .collect(Collectors.toList());
        }
        RoaringBitmap set = q.user() != null ? new RoaringBitmap() : q.restrict();
        if (q.user() != null) {
            IntStream.range(0, models.size()).filter(o -> models.get(o).user().equals(q.user())).forEach(set::add);
        }
        return Arrays.stream(set.toArray()).boxed().sorted(comparator(models, q.sort())).skip(q.offset())
                .limit(q.limit()).collect(Collectors.toList());
    }

    private static Comparator<Integer> comparator(List<Model> models, Sort sort) {
        Comparator<Integer> c = (a, b) -> 0;
        for (Sort.Term t : sort.terms()) {
            Comparator<Integer> k = switch (t.key()) {
                case ID -> Comparator.naturalOrder();
                case START -> Comparator.<Integer>comparingLong(o -> models.get(o).start())
                        .thenComparing(Comparator.naturalOrder());
                case ACTION -> Comparator.comparing(o -> models.get(o).name());
                case OUTCOME -> Comparator.comparingInt(o -> outcomeRank(models.get(o).state()));
                case ERROR -> Comparator.comparing(o -> models.get(o).error());
                case METADATA -> (a, b) -> 0;
            };
            c = c.thenComparing(t.descending() ? k.reversed() : k);
        }
        return c;
    }

    private static int outcomeRank(byte state) {
        State s = State.ofCode(state);
        return s == State.SUCCESS ? 1 : s.isTerminal() ? 0 : 2;
    }
}
