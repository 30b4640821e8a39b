package io.actionlog.index;

import io.actionlog.journal.Entry;
import it.unimi.dsi.fastutil.ints.IntArrays;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Turns a {@link Query} into an exact total and one page of rows. Runs under the index's read lock.
 *
 * <p>Two plans. When only states and a start-date range filter and the order is by start date (the common list),
 * the start order's per-leaf state counts give the total and skip to the offset without visiting each action.
 * Otherwise the filters become one bitmap (postings intersected, date ranges from zone maps) whose cardinality is
 * the total; its page comes either from walking the start order and testing membership, or from sorting the
 * bitmap's members, whichever the sizes say is cheaper.
 */
final class Planner {
    private final ActionIndex ix;

    Planner(ActionIndex ix) {
        this.ix = ix;
    }

    Page run(Query q) {
        RoaringBitmap filter = postingsFilter(q);
        boolean byStart = q.order() == Order.START_ASC || q.order() == Order.START_DESC;
        if (filter == null && byStart && !q.hasEndRange()) {
            return countedWalk(q);
        }
        RoaringBitmap r = filter != null ? filter : RoaringBitmap.bitmapOfRange(0, ix.size);
        if (q.states() != null) {
            r = RoaringBitmap.and(r, statesBitmap(q));
        }
        if (q.hasStartRange()) {
            r.and(ix.startZones.range(q.startFrom(), q.startTo(), ix.size));
        }
        if (q.hasEndRange()) {
            r.and(ix.endZones.range(q.endFrom(), q.endTo(), ix.size));
        }
        int total = r.getCardinality();
        int[] page;
        if (q.order() == Order.ID_ASC || q.order() == Order.ID_DESC) {
            page = byId(r, total, q);
        } else if (byStart && walkIsCheaper(q, total)) {
            int from = ix.startOrder.lowerBound(q.startFrom());
            int to = ix.startOrder.lowerBound(q.startTo());
            page = ix.startOrder.select(from, to, q.order().descending(), q.offset(), q.limit(), -1, r);
        } else {
            page = sorted(r, q);
        }
        return page(total, page);
    }

    private Page countedWalk(Query q) {
        int from = ix.startOrder.lowerBound(q.startFrom());
        int to = ix.startOrder.lowerBound(q.startTo());
        int mask = q.stateMask();
        int total = ix.startOrder.count(from, to, mask);
        int[] page = ix.startOrder.select(from, to, q.order().descending(), q.offset(), q.limit(), mask, null);
        return page(total, page);
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
    private boolean walkIsCheaper(Query q, int total) {
        if (total == 0) {
            return false;
        }
        int from = ix.startOrder.lowerBound(q.startFrom());
        int to = ix.startOrder.lowerBound(q.startTo());
        double walk = (double) (q.offset() + q.limit()) * (to - from) / total;
        double sort = total * (1 + Math.log(total) / Math.log(2));
        return walk < sort;
    }

    private static int[] byId(RoaringBitmap r, int total, Query q) {
        int n = Math.max(0, Math.min(q.limit(), total - q.offset()));
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        if (q.order() == Order.ID_ASC) {
            IntIterator it = r.getIntIterator();
            ((org.roaringbitmap.PeekableIntIterator) it).advanceIfNeeded(r.select(q.offset()));
            for (int i = 0; i < n; i++) {
                out[i] = it.next();
            }
        } else {
            int firstRank = total - 1 - q.offset();
            for (int i = 0; i < n; i++) {
                out[i] = r.select(firstRank - i);
            }
        }
        return out;
    }

    private int[] sorted(RoaringBitmap r, Query q) {
        int[] all = r.toArray();
        boolean desc = q.order().descending();
        boolean byEnd = q.order() == Order.END_ASC || q.order() == Order.END_DESC;
        Columns.Longs key = byEnd ? ix.end : ix.start;
        IntArrays.quickSort(all, (a, b) -> {
            long ka = key.get(a);
            long kb = key.get(b);
            if (ka != kb) {
                // Actions that have not ended sort after those that have, in both directions.
                if (ka == Entry.NO_TIME || kb == Entry.NO_TIME) {
                    return ka == Entry.NO_TIME ? 1 : -1;
                }
                return desc ? Long.compare(kb, ka) : Long.compare(ka, kb);
            }
            return desc ? Integer.compare(b, a) : Integer.compare(a, b);
        });
        int from = Math.min(q.offset(), all.length);
        int to = (int) Math.min((long) from + q.limit(), all.length);
        return java.util.Arrays.copyOfRange(all, from, to);
    }

    private Page page(int total, int[] ordinals) {
        List<Row> rows = new ArrayList<>(ordinals.length);
        for (int o : ordinals) {
            rows.add(ix.rowOf(o));
        }
        return new Page(total, rows);
    }
}
