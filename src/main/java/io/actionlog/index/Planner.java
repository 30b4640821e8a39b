package io.actionlog.index;

import io.actionlog.journal.Entry;
import it.unimi.dsi.fastutil.ints.IntArrays;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.IntConsumer;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Turns a {@link Query} into an exact total and one page of rows. Runs under the index's read lock.
 *
 * <p>Two plans. When only states and a start-date range filter and the order is by start date (the common list),
 * the start order's per-leaf state counts give the total and skip to the offset without visiting each action.
 * Otherwise the filters become one bitmap (postings intersected, date ranges from zone maps) whose cardinality is
 * the total; its page comes either from walking the start order and testing membership, or from sorting the
 * bitmap's members, whichever the sizes say is cheaper. A multi-key {@link Sort} (Waldur's {@code o}) takes the
 * same bitmap to {@link SortedPages}; when it orders by a text only the journal holds, {@link ActionIndex} runs it
 * in two steps around the journal reads ({@link #prepare}, {@link #finish}).
 */
final class Planner {
    private final ActionIndex ix;

    Planner(ActionIndex ix) {
        this.ix = ix;
    }

    Page run(Query q) {
        Selection s = select(q);
        return page(s.total(), s.ordinals());
    }

    /**
     * Every match of q in q's order, whatever its offset and limit. A text sort is not among the orders (it needs
     * journal reads between two steps); the Tutum face, which exports, has none.
     */
    int[] all(Query q) {
        if (q.sort() != null && !q.sort().textKeys().isEmpty()) {
            throw new IllegalArgumentException("a sort on texts cannot select every match at once");
        }
        return select(q.window(0, ix.size)).ordinals();
    }

    /** The number of matches and the ordinals of the query's page of them. */
    private record Selection(int total, int[] ordinals) {
    }

    private Selection select(Query q) {
        if (q.sort() != null) {
            RoaringBitmap r = matching(q);
            return new Selection(r.getCardinality(), new SortedPages(ix, this, q.sort(), null).page(r, q.offset(),
                    q.limit()));
        }
        boolean byStart = q.order() == Order.START_ASC || q.order() == Order.START_DESC;
        if (postingsFilterless(q) && byStart && !q.hasEndRange()) {
            return countedWalk(q);
        }
        RoaringBitmap r = matching(q);
        int total = r.getCardinality();
        if (q.offset() >= total) {
            return new Selection(total, new int[0]);
        }
        int[] page;
        boolean desc = q.order().descending();
        if (q.order() == Order.ID_ASC || q.order() == Order.ID_DESC) {
            page = byId(r, total, desc, q.offset(), q.limit());
        } else if (byStart && walkIsCheaper(q.startFrom(), q.startTo(), q.offset(), q.limit(), total)) {
            int from = ix.startOrder.lowerBound(q.startFrom());
            int to = ix.startOrder.lowerBound(q.startTo());
            page = ix.startOrder.select(from, to, desc, q.offset(), q.limit(), -1, r);
        } else {
            boolean byEnd = q.order() == Order.END_ASC || q.order() == Order.END_DESC;
            page = sorted(r, byEnd, desc, q.offset(), q.limit());
        }
        return new Selection(total, page);
    }

    /** Just the number of matches. */
    Page count(Query q) {
        RoaringBitmap r = matching(q);
        // A count stands for the page (a HEAD, the count before page=last): a sort the page would refuse for its
        // texts is refused here too, though a count reads none.
        if (q.sort() != null) {
            for (Sort.Key key : q.sort().textKeys()) {
                TextSnapshot.check(key, RoaringBitmap.andCardinality(r, withText(key)));
            }
        }
        return new Page(r.getCardinality(), List.of());
    }

    /**
     * Step one of a sort on text keys or on action name (see {@link TextSnapshot}); the caller reads the texts,
     * then {@link #finish}.
     */
    TextSnapshot prepare(Query q) {
        TextSnapshot snapshot = new TextSnapshot(matching(q));
        for (Sort.Key key : q.sort().textKeys()) {
            snapshot.need(key, withText(key), ix);
        }
        // A caller that gives no reader (it sorts no texts either) has the names walked.
        if (q.texts() != null && q.sort().byName()
                && TextSnapshot.readsNames(snapshot.matching.getCardinality(), ix.actionNames.size())) {
            snapshot.need(Sort.Key.ACTION, snapshot.matching, ix);
        }
        return snapshot;
    }

    /** The actions whose text of {@code key} is not the default. */
    private RoaringBitmap withText(Sort.Key key) {
        return key == Sort.Key.ERROR ? ix.withError : ix.withMetadata;
    }

    Page finish(TextSnapshot snapshot, Query q) {
        return sortedPage(snapshot.matching, q, snapshot);
    }

    private Page sortedPage(RoaringBitmap r, Query q, TextSnapshot texts) {
        int[] page = new SortedPages(ix, this, q.sort(), texts).page(r, q.offset(), q.limit());
        return page(r.getCardinality(), page);
    }

    /** Counts per bucket of {@code width} microseconds and per state of every match; paging and order are ignored. */
    Histogram histogram(Query q, long width, int maxBuckets) {
        Histogram.Counter counter = new Histogram.Counter(ix.start, ix.state, width, maxBuckets);
        if (postingsFilterless(q) && !q.hasEndRange()) {
            // States and a start range only (the chart of an unfiltered list): the start order's slice of the range,
            // mostly counted a leaf at a time, with no bitmap built.
            int from = ix.startOrder.lowerBound(q.startFrom());
            int to = ix.startOrder.lowerBound(q.startTo());
            ix.startOrder.count(from, to, q.stateMask(), counter);
        } else {
            matching(q).forEach((IntConsumer) counter::add);
        }
        return counter.finish();
    }

    /** Every action the filters of the query admit, as a bitmap the caller may modify. */
    private RoaringBitmap matching(Query q) {
        RoaringBitmap filter = postingsFilter(q);
        RoaringBitmap r = filter != null ? filter : RoaringBitmap.bitmapOfRange(0, ix.size);
        if (q.states() != null) {
            r = RoaringBitmap.and(r, statesBitmap(q));
        } else if (!ix.byState[ActionIndex.EXPIRED].isEmpty()) {
            r.andNot(ix.byState[ActionIndex.EXPIRED]); // states' sets leave expired actions out; the others keep them
        }
        if (q.hasStartRange()) {
            r.and(ix.startZones.range(q.startFrom(), q.startTo(), ix.size));
        }
        if (q.hasEndRange()) {
            r.and(ix.endZones.range(q.endFrom(), q.endTo(), ix.size));
        }
        return r;
    }

    private static boolean postingsFilterless(Query q) {
        return q.user() == null && q.object() == null && q.action() == null && q.method() == null
                && q.ip() == null && q.restrict() == null;
    }

    /** A page of r by start date (ties by id the same way): walking the start order or sorting r, as is cheaper. */
    int[] byStart(RoaringBitmap r, boolean desc, int offset, int limit) {
        int total = r.getCardinality();
        if (walkIsCheaper(Long.MIN_VALUE, Long.MAX_VALUE, offset, limit, total)) {
            return ix.startOrder.select(0, ix.size, desc, offset, limit, -1, r);
        }
        return sorted(r, false, desc, offset, limit);
    }

    private Selection countedWalk(Query q) {
        int from = ix.startOrder.lowerBound(q.startFrom());
        int to = ix.startOrder.lowerBound(q.startTo());
        int mask = q.stateMask();
        int total = ix.startOrder.count(from, to, mask);
        if (q.offset() >= total) {
            return new Selection(total, new int[0]);
        }
        int[] page = ix.startOrder.select(from, to, q.order().descending(), q.offset(), q.limit(), mask, null);
        return new Selection(total, page);
    }

    /** Intersection of every posting-list filter, or null when the query has none. */
    private RoaringBitmap postingsFilter(Query q) {
        List<RoaringBitmap> sets = new ArrayList<>();
        if (q.user() != null) {
            sets.add(ix.users.get(q.user()));
        }
        if (q.object() != null) {
            RoaringBitmap direct = ix.objects.get(q.object());
            sets.add(q.includeRelated() ? RoaringBitmap.or(direct, ix.parents.get(q.object())) : direct);
        }
        if (q.action() != null) {
            sets.add(ix.actions.get(q.action()));
        }
        if (q.method() != null) {
            sets.add(ix.methods.get(q.method()));
        }
        if (q.ip() != null) {
            sets.add(ix.ips.get(q.ip()));
        }
        if (q.restrict() != null) {
            sets.add(q.restrict());
        }
        if (sets.isEmpty()) {
            return null;
        }
        sets.sort((a, b) -> Integer.compare(a.getCardinality(), b.getCardinality()));
        RoaringBitmap r = sets.get(0).clone();
        for (int i = 1; i < sets.size() && !r.isEmpty(); i++) {
            r.and(sets.get(i));
        }
        return r;
    }

    private RoaringBitmap statesBitmap(Query q) {
        RoaringBitmap s = new RoaringBitmap();
        q.states().forEach(st -> s.or(ix.byState[st.code]));
        return s;
    }

    /** Walking visits about (offset + limit) * range / total actions; sorting costs total * log(total). */
    private boolean walkIsCheaper(long startFrom, long startTo, int offset, int limit, int total) {
        if (total == 0) {
            return false;
        }
        int from = ix.startOrder.lowerBound(startFrom);
        int to = ix.startOrder.lowerBound(startTo);
        double walk = ((double) offset + limit) * (to - from) / total;
        double sort = total * (1 + Math.log(total) / Math.log(2));
        return walk < sort;
    }

    static int[] byId(RoaringBitmap r, int total, boolean desc, int offset, int limit) {
        int n = Math.max(0, Math.min(limit, total - offset));
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        if (!desc) {
            IntIterator it = r.getIntIterator();
            ((org.roaringbitmap.PeekableIntIterator) it).advanceIfNeeded(r.select(offset));
            for (int i = 0; i < n; i++) {
                out[i] = it.next();
            }
        } else {
            int firstRank = total - 1 - offset;
            for (int i = 0; i < n; i++) {
                out[i] = r.select(firstRank - i);
            }
        }
        return out;
    }

    private int[] sorted(RoaringBitmap r, boolean byEnd, boolean desc, int offset, int limit) {
        int[] all = r.toArray();
        Columns.Times column = byEnd ? ix.end : ix.start;
        // Each key is read once into an array beside the ordinals: the sort then compares within two small arrays,
        // where reading the column in every comparison was a cache miss or two each (the matches lie far apart).
        long[] keys = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            keys[i] = column.get(all[i]);
        }
        int from = Math.min(offset, all.length);
        int to = (int) Math.min((long) from + limit, all.length);
        int[] page = new int[to - from];
        if (inOrder(keys)) {
            // Actions are mostly recorded as they start, so the matches are often in date order already: the order
            // wanted is then the ordinals' own (ties go by id, which is ordinal order) or its reverse.
            for (int i = from; i < to; i++) {
                page[i - from] = all[desc ? all.length - 1 - i : i];
            }
            return page;
        }
        int[] places = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            places[i] = i;
        }
        IntArrays.quickSort(places, (x, y) -> {
            long ka = keys[x];
            long kb = keys[y];
            if (ka != kb) {
                // Actions that have not ended sort after those that have, in both directions.
                if (ka == Entry.NO_TIME || kb == Entry.NO_TIME) {
                    return ka == Entry.NO_TIME ? 1 : -1;
                }
                return desc ? Long.compare(kb, ka) : Long.compare(ka, kb);
            }
            return desc ? Integer.compare(all[y], all[x]) : Integer.compare(all[x], all[y]);
        });
        for (int i = from; i < to; i++) {
            page[i - from] = all[places[i]];
        }
        return page;
    }

    /** Whether the keys never decrease and are all times (no {@link Entry#NO_TIME}, which sorts last either way). */
    private static boolean inOrder(long[] keys) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == Entry.NO_TIME || i > 0 && keys[i] < keys[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private Page page(int total, int[] ordinals) {
        List<Row> rows = new ArrayList<>(ordinals.length);
        for (int o : ordinals) {
            rows.add(ix.rowOf(o));
        }
        return new Page(total, rows);
    }
}
