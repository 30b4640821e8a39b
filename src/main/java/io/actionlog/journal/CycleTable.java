package io.actionlog.journal;

import java.util.Arrays;

/**
 * Maps dense entry positions to the underlying store's indexes. The store numbers its entries in runs that are
 * contiguous within a run but jump between runs (Chronicle: a run per roll cycle, index = cycle << 32 | sequence);
 * the table keeps, for every run, the position and the index of its first entry. It is immutable: the writer
 * publishes a longer copy when a run starts (once per roll cycle), so readers on any thread use it without locks.
 */
final class CycleTable {

    static final CycleTable EMPTY = new CycleTable(new long[0], new long[0]);

    private final long[] firstPositions;
    private final long[] firstIndexes;

    private CycleTable(long[] firstPositions, long[] firstIndexes) {
        this.firstPositions = firstPositions;
        this.firstIndexes = firstIndexes;
    }

    /** A table with one more run, whose first entry has {@code position} (beyond every run so far) and {@code index}. */
    CycleTable withRun(long position, long index) {
        int n = firstPositions.length;
        if (n > 0 && position <= firstPositions[n - 1]) {
            throw new IllegalArgumentException("run at position " + position + " does not follow " + firstPositions[n - 1]);
        }
        long[] positions = Arrays.copyOf(firstPositions, n + 1);
        long[] indexes = Arrays.copyOf(firstIndexes, n + 1);
        positions[n] = position;
        indexes[n] = index;
        return new CycleTable(positions, indexes);
    }

    /** The table without its first {@code run} runs: what a journal keeps once retention dropped their files. */
    CycleTable from(int run) {
        return new CycleTable(Arrays.copyOfRange(firstPositions, run, firstPositions.length),
                Arrays.copyOfRange(firstIndexes, run, firstIndexes.length));
    }

    int runs() {
        return firstPositions.length;
    }

    /** The run holding {@code position}, which must be at or after the first run's first position. */
    int runOf(long position) {
        int last = firstPositions.length - 1;
        if (last >= 0 && position >= firstPositions[last]) {
            return last; // most reads are of recent entries
        }
        int i = Arrays.binarySearch(firstPositions, 0, last + 1, position);
        if (i >= 0) {
            return i;
        }
        if (i == -1) {
            throw new IllegalArgumentException("position " + position + " precedes the journal's first run");
        }
        return -i - 2;
    }

    long indexOf(long position) {
        int run = runOf(position);
        return firstIndexes[run] + (position - firstPositions[run]);
    }

    /** The index the entry at {@code position} would have if it continued the last run. */
    long nextIndexInLastRun(long position) {
        int last = firstPositions.length - 1;
        return last < 0 ? Long.MIN_VALUE : firstIndexes[last] + (position - firstPositions[last]);
    }

    long firstPosition(int run) {
        return firstPositions[run];
    }

    long firstIndex(int run) {
        return firstIndexes[run];
    }

    /** The first position after {@code run}: the next run's first position, or Long.MAX_VALUE for the last. */
    long endOf(int run) {
        return run + 1 < firstPositions.length ? firstPositions[run + 1] : Long.MAX_VALUE;
    }
}
