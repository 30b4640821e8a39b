package io.actionlog.index;

import io.actionlog.action.State;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * One page of a set of ordinals in a multi-key {@link Sort}, without sorting the whole set. A term on action
 * name, outcome or text splits the set into groups in key order (intersections with the per-name or per-state
 * bitmaps, or runs of equal text); groups before the page are skipped by their cardinality alone, and only the
 * groups the page touches are ordered further by the next term. A term on start date or id, which is always the
 * last, takes its page straight from the start order or the bitmap's ranks (see {@link Planner}).
 *
 * <p>So a deep page costs one intersection per group plus the work of the last term inside the one or two
 * groups under the page. Runs under the index's read lock; text keys come from a {@link TextSnapshot}.
 */
final class SortedPages {
    private final ActionIndex ix;
    private final Planner planner;
    private final List<Sort.Term> terms;
    private final TextSnapshot texts;

    SortedPages(ActionIndex ix, Planner planner, Sort sort, TextSnapshot texts) {
        this.ix = ix;
        this.planner = planner;
        this.terms = sort.terms();
        this.texts = texts;
    }

    int[] page(RoaringBitmap set, int offset, int limit) {
        IntArrayList out = new IntArrayList(Math.max(0, limit));
        if (limit > 0 && offset < set.getCardinality()) {
            fill(set, 0, offset, limit, out);
        }
        return out.toIntArray();
    }

    /** Appends up to {@code want} ordinals of {@code set} ordered by terms i.., after skipping {@code skip}. */
    private void fill(RoaringBitmap set, int i, int skip, int want, IntArrayList out) {
        Sort.Term t = terms.get(i);
        switch (t.key()) {
            case ID -> out.addElements(out.size(),
                    Planner.byId(set, set.getCardinality(), t.descending(), skip, want));
            case START -> out.addElements(out.size(), planner.byStart(set, t.descending(), skip, want));
            default -> {
                for (RoaringBitmap g : groups(set, t)) {
                    int size = g.getCardinality();
                    if (skip >= size) {
                        skip -= size;
                        continue;
                    }
                    int before = out.size();
                    fill(g, i + 1, skip, want, out);
                    want -= out.size() - before;
                    skip = 0;
                    if (want == 0) {
                        return;
                    }
                }
            }
        }
    }

    /** The set split by one grouping term, groups in the term's order; empty groups may be left out. */
    private List<RoaringBitmap> groups(RoaringBitmap set, Sort.Term t) {
        List<RoaringBitmap> groups = switch (t.key()) {
            case ACTION -> byName(set, t.descending());
            case OUTCOME -> byOutcome(set);
            default -> byText(set, t.key(), t.descending());
        };
        if (t.descending() && t.key() == Sort.Key.OUTCOME) {
            Collections.reverse(groups);
        }
        return groups;
    }

    private List<RoaringBitmap> byName(RoaringBitmap set, boolean descending) {
        // Walking the names costs one lookup per distinct name in the whole index, however few actions the set
        // holds: a user's handful among a million names, or each of a page's groups under an earlier term, would
        // hold the read lock (and every write) for seconds. A set with fewer actions than names is grouped by its
        // own actions' names instead.
        if (set.getCardinality() < ix.actionNames.size()) {
            return byOwnNames(set, descending);
        }
        NavigableSet<String> names = descending ? ix.actionNames.descendingSet() : ix.actionNames;
        List<RoaringBitmap> groups = new ArrayList<>();
        for (String name : names) {
            RoaringBitmap g = RoaringBitmap.and(set, ix.actions.get(name));
            if (!g.isEmpty()) {
                groups.add(g);
            }
        }
        return groups;
    }

    /** As {@link #byName}, in the order of {@link ActionIndex#actionNames}, from the set's own actions. */
    private List<RoaringBitmap> byOwnNames(RoaringBitmap set, boolean descending) {
        Int2ObjectOpenHashMap<RoaringBitmap> byId = new Int2ObjectOpenHashMap<>();
        set.forEach((int o) -> byId.computeIfAbsent(ix.actionIds.get(o), id -> new RoaringBitmap()).add(o));
        Comparator<String> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        TreeMap<String, RoaringBitmap> groups = new TreeMap<>(order);
        byId.int2ObjectEntrySet().forEach(e -> groups.put(ix.actions.keyOf(e.getIntKey()), e.getValue()));
        return new ArrayList<>(groups.values());
    }

    /**
     * Failed (and canceled), then succeeded, then not finished: false before true, and an absent
     * {@code success} last, as SQL sorts a null boolean ascending.
     */
    private List<RoaringBitmap> byOutcome(RoaringBitmap set) {
        List<RoaringBitmap> groups = new ArrayList<>(3);
        groups.add(RoaringBitmap.and(set, states(State.FAILED, State.CANCELED)));
        groups.add(RoaringBitmap.and(set, states(State.SUCCESS)));
        groups.add(RoaringBitmap.and(set, states(State.PENDING, State.IN_PROGRESS, State.CANCELING)));
        return groups;
    }

    private RoaringBitmap states(State... states) {
        RoaringBitmap r = new RoaringBitmap();
        for (State s : states) {
            r.or(ix.byState[s.code]);
        }
        return r;
    }

    /** Runs of equal text in text order; actions still holding the default text form one run. */
    private List<RoaringBitmap> byText(RoaringBitmap set, Sort.Key key, boolean descending) {
        Comparator<String> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        TreeMap<String, RoaringBitmap> runs = new TreeMap<>(order);
        RoaringBitmap withText = texts.withText(key);
        RoaringBitmap defaults = RoaringBitmap.andNot(set, withText);
        if (!defaults.isEmpty()) {
            runs.put(TextSnapshot.defaultText(key), defaults);
        }
        RoaringBitmap.and(set, withText).forEach((int o) ->
                runs.computeIfAbsent(texts.text(key, o), s -> new RoaringBitmap()).add(o));
        return new ArrayList<>(runs.values());
    }
}
