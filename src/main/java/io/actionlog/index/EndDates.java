package io.actionlog.index;

import io.actionlog.journal.Entry;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;

/**
 * End dates as the difference to the action's start date, in an int where it fits (an action that ends within
 * about 35 minutes of its start, in microseconds: nearly all of them), otherwise in a map. Half the heap of a
 * column of longs. The start date must be set before the end date.
 */
final class EndDates implements Columns.Times {
    private static final int NONE = Integer.MIN_VALUE;
    private static final int FAR = Integer.MIN_VALUE + 1;

    private final Columns.Times start;
    private final Columns.Ints delta = new Columns.Ints();
    private final Int2LongOpenHashMap far = new Int2LongOpenHashMap();

    EndDates(Columns.Times start) {
        this.start = start;
    }

    @Override
    public long get(int ordinal) {
        int d = delta.get(ordinal);
        if (d == NONE) {
            return Entry.NO_TIME;
        }
        return d == FAR ? far.get(ordinal) : start.get(ordinal) + d;
    }

    void set(int ordinal, long end) {
        far.remove(ordinal);
        if (end == Entry.NO_TIME) {
            delta.set(ordinal, NONE);
            return;
        }
        long s = start.get(ordinal);
        long d = end - s;
        boolean overflowed = ((end ^ s) & (end ^ d)) < 0;
        if (s != Entry.NO_TIME && !overflowed && d > FAR && d <= Integer.MAX_VALUE) {
            delta.set(ordinal, (int) d);
        } else {
            delta.set(ordinal, FAR);
            far.put(ordinal, end);
        }
    }

    long heapBytes() {
        // An int and a long per entry in tables filled between 3/8 and 3/4.
        return delta.heapBytes() + far.size() * 32L;
    }
}
