package io.actionlog.index;

import io.actionlog.action.State;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * One page of a set of ordinals in a multi-key {@link Sort}, without sorting the whole set. A term on action
 * name, outcome or text splits the set into groups in key order (intersections with the per-name or per-state
 * bitmaps, or runs of equal text, or of equal names read in step one); groups before the page are skipped by their
 * cardinality alone, and only the groups the page touches are ordered further by the next term. A term on start
 * date or id, which is always the last, takes its page straight from the start order or the bitmap's ranks (see
 * {@link Planner}).
 *
 * <p>So a deep page costs one intersection per group plus the work of the last term inside the one or two
 * groups under the page; a name as the first term walks the index's names only up to the end of the page. Runs under the index's read lock; texts, and the names of a small set, come from a
 * {@link TextSnapshot}.
 */
final class SortedPages {
    private final ActionIndex ix;
    private final Planner planner;
    private final List<Sort.Term> terms;
    private final TextSnapshot texts;
    /** The set a page is taken from, and its groups by action name in name order once a term needed them. */
    private RoaringBitmap top;
    private List<RoaringBitmap> names;

    SortedPages(ActionIndex ix, Planner planner, Sort sort, TextSnapshot texts) {
        this.ix = ix;
        this.planner = planner;
        this.terms = sort.terms();
        this.texts = texts;
    }

    int[] page(RoaringBitmap set, int offset, int limit) {
        IntArrayList out = new IntArrayList(Math.max(0, limit));
        top = set;
        names = null;
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
            case ACTION -> {
                if (i == 0 && (texts == null || !texts.has(Sort.Key.ACTION))) {
                    walkNamesFirst(t.descending(), skip, want, out);
                } else {
                    fillGroups(groups(set, t), i, skip, want, out);
                }
            }
            default -> fillGroups(groups(set, t), i, skip, want, out);
        }
    }

    private void fillGroups(List<RoaringBitmap> groups, int i, int skip, int want, IntArrayList out) {
        for (RoaringBitmap g : groups) {
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

    /**
     * A name as the first term: the index's names in order, each group counted (not built) while it is before the
     * page and built only under it, and the walk ends with the page. A first page among a million names then costs
     * the names it shows, not all of them; a deep page still walks the names before it.
     */
    private void walkNamesFirst(boolean descending, int skip, int want, IntArrayList out) {
        for (String name : descending ? ix.actionNames.descendingSet() : ix.actionNames) {
            RoaringBitmap all = ix.actions.get(name);
            int size = RoaringBitmap.andCardinality(top, all);
            if (skip >= size) {
                skip -= size;
                continue;
            }
            int before = out.size();
            fill(RoaringBitmap.and(top, all), 1, skip, want, out);
            want -= out.size() - before;
            skip = 0;
            if (want == 0) {
                return;
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

    /**
     * A name term groups the whole set by name once a page, and a later group (under an earlier term, one per
     * error text, say) is split by those groups, at most one per action of the set. Grouping the set walks every
     * distinct name in the index, unless the names of the set were read in step one (a set smaller than the
     * names, see {@link TextSnapshot}): a walk per group would cost names times groups, and even one walk costs a
     * few hundred ms among a million names, under the read lock that every write waits for.
     */
    private List<RoaringBitmap> byName(RoaringBitmap set, boolean descending) {
        if (names == null) {
            names = texts != null && texts.has(Sort.Key.ACTION) ? readNames() : walkNames();
        }
        List<RoaringBitmap> groups = new ArrayList<>();
        for (RoaringBitmap g : names) {
            if (set == top) {
                groups.add(g);
            } else if (RoaringBitmap.intersects(set, g)) {
                groups.add(RoaringBitmap.and(set, g));
            }
        }
        if (descending) {
            Collections.reverse(groups);
        }
        return groups;
    }

    /** The set's groups by name, in name order, from every distinct name of the index. */
    private List<RoaringBitmap> walkNames() {
        List<RoaringBitmap> groups = new ArrayList<>();
        for (String name : ix.actionNames) {
            RoaringBitmap all = ix.actions.get(name);
            if (RoaringBitmap.intersects(top, all)) {
                groups.add(RoaringBitmap.and(top, all));
            }
        }
        return groups;
    }

    /** The same groups from the names read for each action of the set: a name's order is the index's TreeSet's. */
    private List<RoaringBitmap> readNames() {
        TreeMap<String, RoaringBitmap> groups = new TreeMap<>();
        top.forEach((int o) ->
                groups.computeIfAbsent(texts.text(Sort.Key.ACTION, o), s -> new RoaringBitmap()).add(o));
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
