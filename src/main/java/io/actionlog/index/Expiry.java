package io.actionlog.index;

import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * What retention asks of the index before it writes anything: which actions may expire, which must be carried
 * forward before a drop, and how the live and the expired are spread over the journal's files. Plain reads of the
 * columns; the caller runs on the writer thread inside {@link ActionIndex#write}, so nothing changes meanwhile.
 */
public final class Expiry {
    private static final State[] TERMINAL = {State.SUCCESS, State.FAILED, State.CANCELED};

    private Expiry() {
    }

    /** Ordinals of finished actions, not yet expired, whose end date is before {@code cutoff} (microseconds). */
    public static RoaringBitmap finishedBefore(ActionIndex ix, long cutoff) {
        RoaringBitmap out = new RoaringBitmap();
        for (State s : TERMINAL) {
            ix.byState[s.code].forEach((int o) -> {
                long end = ix.end.get(o);
                if (end != Entry.NO_TIME && end < cutoff) {
                    out.add(o);
                }
            });
        }
        return out;
    }

    /** Ordinals of finished actions, not yet expired, whose first kept entry lies below {@code position}. */
    public static RoaringBitmap finishedCreatedBefore(ActionIndex ix, long position) {
        RoaringBitmap out = new RoaringBitmap();
        for (State s : TERMINAL) {
            ix.byState[s.code].forEach((int o) -> {
                if (ix.created.get(o) < position) {
                    out.add(o);
                }
            });
        }
        return out;
    }

    /** Ids of the actions that stay (neither expired nor in {@code expiring}) whose first entry is below {@code position}. */
    public static long[] liveCreatedBefore(ActionIndex ix, long position, RoaringBitmap expiring) {
        LongArrayList ids = new LongArrayList();
        for (int o = 0; o < ix.size; o++) {
            if (ix.state.get(o) != ActionIndex.EXPIRED && ix.created.get(o) < position && !expiring.contains(o)) {
                ids.add(o + 1L);
            }
        }
        return ids.toLongArray();
    }

    /**
     * Per file (the files begin at the positions in {@code segments}): how many actions that stay have their first
     * entry there ({@code [k][0]}), and how many that are expired or expiring ({@code [k][1]}).
     */
    public static int[][] tally(ActionIndex ix, long[] segments, RoaringBitmap expiring) {
        int[][] counts = new int[segments.length][2];
        for (int o = 0; o < ix.size; o++) {
            long p = ix.created.get(o);
            int k = Arrays.binarySearch(segments, p);
            k = k >= 0 ? k : -k - 2;
            if (k < 0) {
                continue; // a placeholder: its entries are already gone
            }
            boolean gone = ix.state.get(o) == ActionIndex.EXPIRED || expiring.contains(o);
            counts[k][gone ? 1 : 0]++;
        }
        return counts;
    }

    /**
     * The highest start of a file at or below {@code to} such that no action that is gone (expired, or in
     * {@code expiring}) has its first entry below it and a later entry at or above it: such an entry, left behind
     * without its action's first one, could not be tied to its uuid any more, so neither {@code verify} nor a proof
     * could check it.
     */
    public static long withoutStragglers(ActionIndex ix, long[] segments, long to, RoaringBitmap expiring) {
        while (to > segments[0]) {
            long lowest = Long.MAX_VALUE;
            for (int o = 0; o < ix.size; o++) {
                long first = ix.created.get(o);
                if (first < to && ix.last.get(o) >= to && first < lowest
                        && (ix.state.get(o) == ActionIndex.EXPIRED || expiring.contains(o))) {
                    lowest = first;
                }
            }
            if (lowest == Long.MAX_VALUE) {
                return to;
            }
            int k = Arrays.binarySearch(segments, lowest);
            to = segments[k >= 0 ? k : Math.max(0, -k - 2)];
        }
        return to;
    }

    /** The ids of these ordinals as sorted inclusive ranges {@code [first, last]}, in pairs ({@link Entry.Expired}). */
    public static long[] idRanges(RoaringBitmap ordinals) {
        LongArrayList ranges = new LongArrayList();
        IntIterator it = ordinals.getIntIterator();
        while (it.hasNext()) {
            long id = it.next() + 1L;
            int n = ranges.size();
            if (n > 0 && ranges.getLong(n - 1) == id - 1) {
                ranges.set(n - 1, id);
            } else {
                ranges.add(id);
                ranges.add(id);
            }
        }
        return ranges.toLongArray();
    }

    /** The highest id ever given: the next action gets the one after, whatever retention dropped. */
    public static long highestId(ActionIndex ix) {
        return ix.size;
    }

}
