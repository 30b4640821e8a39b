package io.actionlog.index;

import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * Every ordinal sorted by (start date, ordinal), in leaves of up to {@value #LEAF}, each with a count per state.
 * New actions nearly always land at the end of the last leaf, so inserting is an append; a late one is an
 * insertion into one leaf. The per-leaf state counts let a page at a deep offset, or an exact total over a date
 * range, skip whole leaves instead of visiting every action.
 */
final class StartOrder {
    static final int LEAF = 1024;
    /** The API's six states and {@link ActionIndex#EXPIRED}, which no query's state mask holds. */
    private static final int STATES = 7;

    private final Columns.Times start;
    private final Columns.Bytes states;
    private int[][] leaves = new int[8][];
    private int[] sizes = new int[8];
    private int[] counts = new int[8 * STATES];
    private int[] firstPos = new int[8];
    private int leafCount;
    private int dirtyFrom;
    private int total;

    StartOrder(Columns.Times start, Columns.Bytes states) {
        this.start = start;
        this.states = states;
    }

    int size() {
        return total;
    }

    void add(int ordinal, byte state) {
        if (leafCount == 0) {
            openLeaf(0);
        }
        long t = start.get(ordinal);
        int leaf = leafOf(t, ordinal);
        int at = insertionPoint(leaf, t, ordinal);
        if (sizes[leaf] == LEAF) {
            if (leaf == leafCount - 1 && at == LEAF) {
                // Appending past a full last leaf starts a new one, so leaves filled in time order stay full.
                openLeaf(leafCount);
                leaf = leafCount - 1;
                at = 0;
            } else {
                split(leaf);
                leaf = leafOf(t, ordinal);
                at = insertionPoint(leaf, t, ordinal);
            }
        }
        int[] a = leaves[leaf];
        System.arraycopy(a, at, a, at + 1, sizes[leaf] - at);
        a[at] = ordinal;
        sizes[leaf]++;
        counts[leaf * STATES + state]++;
        total++;
        dirtyFrom = Math.min(dirtyFrom, leaf + 1);
    }

    void moved(int ordinal, byte from, byte to) {
        int leaf = leafOf(start.get(ordinal), ordinal);
        counts[leaf * STATES + from]--;
        counts[leaf * STATES + to]++;
    }

    /** The first position whose start date is at or after t. */
    int lowerBound(long t) {
        if (t == Long.MIN_VALUE || leafCount == 0) {
            return 0;
        }
        if (t == Long.MAX_VALUE) {
            return total;
        }
        int leaf = leafOf(t, Integer.MIN_VALUE);
        refreshPositions();
        return firstPos[leaf] + insertionPoint(leaf, t, Integer.MIN_VALUE);
    }

    /** How many positions in [from, to) hold an ordinal whose state is in the mask. */
    int count(int from, int to, int stateMask) {
        refreshPositions();
        int n = 0;
        for (int leaf = leafAt(from); leaf < leafCount && firstPos[leaf] < to; leaf++) {
            int lo = Math.max(from - firstPos[leaf], 0);
            int hi = Math.min(to - firstPos[leaf], sizes[leaf]);
            if (lo == 0 && hi == sizes[leaf]) {
                n += leafCount(leaf, stateMask);
            } else {
                for (int i = lo; i < hi; i++) {
                    n += (stateMask >>> states.get(leaves[leaf][i])) & 1;
                }
            }
        }
        return n;
    }

    /**
     * Up to {@code limit} ordinals in [from, to), in start order (or reversed), skipping the first {@code offset}
     * that match: state in the mask and, when {@code also} is not null, a member of it.
     */
    int[] select(int from, int to, boolean descending, int offset, int limit, int stateMask, RoaringBitmap also) {
        refreshPositions();
        int[] out = new int[Math.max(0, Math.min(limit, to - from))];
        int found = 0;
        int skip = offset;
        int step = descending ? -1 : 1;
        int leaf = descending ? leafAt(to - 1) : leafAt(from);
        for (; leaf >= 0 && leaf < leafCount && found < out.length; leaf += step) {
            int lo = Math.max(from - firstPos[leaf], 0);
            int hi = Math.min(to - firstPos[leaf], sizes[leaf]);
            if (lo >= hi) {
                if (descending ? firstPos[leaf] + sizes[leaf] <= from : firstPos[leaf] >= to) {
                    break;
                }
                continue;
            }
            if (also == null && lo == 0 && hi == sizes[leaf]) {
                int inLeaf = leafCount(leaf, stateMask);
                if (skip >= inLeaf) {
                    skip -= inLeaf;
                    continue;
                }
            }
            int[] a = leaves[leaf];
            for (int k = 0; k < hi - lo && found < out.length; k++) {
                int ord = a[descending ? hi - 1 - k : lo + k];
                if (((stateMask >>> states.get(ord)) & 1) == 0 || (also != null && !also.contains(ord))) {
                    continue;
                }
                if (skip > 0) {
                    skip--;
                } else {
                    out[found++] = ord;
                }
            }
        }
        return found == out.length ? out : Arrays.copyOf(out, found);
    }

    /**
     * Counts the positions [from, to) whose state is in the mask into {@code counter}. A whole leaf whose first and
     * last start dates fall in one bucket is counted from its per-state counts, without visiting its actions: at
     * a thousand actions an hour nearly every leaf is one.
     */
    void count(int from, int to, int stateMask, Histogram.Counter counter) {
        refreshPositions();
        for (int leaf = leafAt(from); leaf < leafCount && firstPos[leaf] < to; leaf++) {
            int lo = Math.max(from - firstPos[leaf], 0);
            int hi = Math.min(to - firstPos[leaf], sizes[leaf]);
            int[] a = leaves[leaf];
            if (lo == 0 && hi == sizes[leaf] && hi > 0 && counter.sameBucket(a[0], a[hi - 1])) {
                counter.addAll(a[0], counts, leaf * STATES, stateMask);
                continue;
            }
            // The rest in runs of one bucket each, found by binary search (the leaf is in start order).
            for (int i = lo; i < hi; ) {
                long key = counter.keyOf(a[i]);
                int j = runEnd(a, i, hi, key, counter);
                int[] bucket = counter.bucketOf(key);
                int n = 0;
                for (int k = i; k < j; k++) {
                    byte s = states.get(a[k]);
                    if (((stateMask >>> s) & 1) != 0) {
                        bucket[s]++;
                        n++;
                    }
                }
                counter.counted(n);
                i = j;
            }
        }
    }

    /** The first index in (i, hi) of {@code a} whose bucket is past {@code key}, or hi. */
    private static int runEnd(int[] a, int i, int hi, long key, Histogram.Counter counter) {
        int lo = i + 1;
        int top = hi;
        while (lo < top) {
            int mid = (lo + top) >>> 1;
            if (counter.keyOf(a[mid]) <= key) {
                lo = mid + 1;
            } else {
                top = mid;
            }
        }
        return lo;
    }

    long heapBytes() {
        return leaves.length * 8L + (long) leafCount * (LEAF * 4L + 16) + counts.length * 4L + sizes.length * 8L;
    }

    private int leafCount(int leaf, int stateMask) {
        int n = 0;
        for (int s = 0; s < STATES; s++) {
            if (((stateMask >>> s) & 1) != 0) {
                n += counts[leaf * STATES + s];
            }
        }
        return n;
    }

    /** The last leaf whose first key is at or below (t, ordinal), or leaf 0. */
    private int leafOf(long t, int ordinal) {
        int lo = 0;
        int hi = leafCount - 1;
        if (hi > 0 && sizes[hi] > 0 && compare(t, ordinal, leaves[hi][0]) >= 0) {
            return hi; // the usual case: a new action starts after every other
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (sizes[mid] > 0 && compare(t, ordinal, leaves[mid][0]) >= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private int insertionPoint(int leaf, long t, int ordinal) {
        int[] a = leaves[leaf];
        int lo = 0;
        int hi = sizes[leaf];
        if (hi > 0 && compare(t, ordinal, a[hi - 1]) > 0) {
            return hi;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(t, ordinal, a[mid]) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int compare(long t, int ordinal, int element) {
        long s = start.get(element);
        return t != s ? Long.compare(t, s) : Integer.compare(ordinal, element);
    }

    /** The leaf holding a position (the last leaf for the position just past the end). */
    private int leafAt(int position) {
        int lo = 0;
        int hi = leafCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (firstPos[mid] <= position) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void refreshPositions() {
        for (int i = Math.max(dirtyFrom, 1); i < leafCount; i++) {
            firstPos[i] = firstPos[i - 1] + sizes[i - 1];
        }
        dirtyFrom = leafCount;
    }

    private void openLeaf(int at) {
        if (leafCount == leaves.length) {
            int n = leaves.length * 2;
            leaves = Arrays.copyOf(leaves, n);
            sizes = Arrays.copyOf(sizes, n);
            firstPos = Arrays.copyOf(firstPos, n);
            counts = Arrays.copyOf(counts, n * STATES);
        }
        System.arraycopy(leaves, at, leaves, at + 1, leafCount - at);
        System.arraycopy(sizes, at, sizes, at + 1, leafCount - at);
        System.arraycopy(firstPos, at, firstPos, at + 1, leafCount - at);
        System.arraycopy(counts, at * STATES, counts, (at + 1) * STATES, (leafCount - at) * STATES);
        leaves[at] = new int[LEAF];
        sizes[at] = 0;
        Arrays.fill(counts, at * STATES, (at + 1) * STATES, 0);
        leafCount++;
        dirtyFrom = Math.min(dirtyFrom, at);
    }

    private void split(int leaf) {
        openLeaf(leaf + 1);
        int half = sizes[leaf] / 2;
        int moved = sizes[leaf] - half;
        System.arraycopy(leaves[leaf], half, leaves[leaf + 1], 0, moved);
        sizes[leaf] = half;
        sizes[leaf + 1] = moved;
        recount(leaf);
        recount(leaf + 1);
    }

    private void recount(int leaf) {
        Arrays.fill(counts, leaf * STATES, (leaf + 1) * STATES, 0);
        for (int i = 0; i < sizes[leaf]; i++) {
            counts[leaf * STATES + states.get(leaves[leaf][i])]++;
        }
    }
}
