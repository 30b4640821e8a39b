package io.actionlog.index;

import io.actionlog.action.State;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of matching actions per time bucket (by start date, buckets of a fixed width aligned on the epoch, so UTC
 * hours and days) and per state: the answer of the stats endpoint, computed from the index's columns alone.
 * Only buckets holding at least one action are kept, in time order.
 */
public record Histogram(long width, int total, List<Bucket> buckets) {

    /** One bucket: its first microsecond and how many actions of each state (by state code) started in it. */
    public record Bucket(long start, int[] counts) {
        public int total() {
            return Arrays.stream(counts).sum();
        }

        public int count(State s) {
            return counts[s.code];
        }
    }

    /** Thrown when the matches spread over more buckets than the caller allows; no partial answer is made. */
    public static final class TooManyBuckets extends RuntimeException {
        public TooManyBuckets(int max) {
            super("more than " + max + " buckets");
        }
    }

    /**
     * Counts actions into buckets, one {@link #add} per action; runs under the index's read lock. Actions are mostly
     * visited in start order, so consecutive ones nearly always share a bucket: the last bucket is kept at hand and
     * the map is only consulted when the bucket changes.
     */
    static final class Counter {
        private final Columns.Times start;
        private final Columns.Bytes states;
        private final long width;
        private final int maxBuckets;
        private final Long2ObjectOpenHashMap<int[]> byBucket = new Long2ObjectOpenHashMap<>();
        private long lastKey;
        private int[] last;
        private int total;

        Counter(Columns.Times start, Columns.Bytes states, long width, int maxBuckets) {
            this.start = start;
            this.states = states;
            this.width = width;
            this.maxBuckets = maxBuckets;
        }

        void add(int ordinal) {
            bucketOf(keyOf(ordinal))[states.get(ordinal)]++;
            total++;
        }

        /** The bucket number of an action: its start date divided by the width, rounded down. */
        long keyOf(int ordinal) {
            return Math.floorDiv(start.get(ordinal), width);
        }

        boolean sameBucket(int ordinal, int other) {
            return keyOf(ordinal) == keyOf(other);
        }

        /** For callers that add to a bucket's counts themselves: how many they added. */
        void counted(int n) {
            total += n;
        }

        /** Adds {@code counts[at + state]} for each state in the mask to the bucket of {@code ordinal}. */
        void addAll(int ordinal, int[] counts, int at, int stateMask) {
            int[] b = bucketOf(keyOf(ordinal));
            for (int s = 0; s < b.length; s++) {
                if (((stateMask >>> s) & 1) != 0) {
                    b[s] += counts[at + s];
                    total += counts[at + s];
                }
            }
        }

        /** The counts by state code of bucket {@code key}, made when new. */
        int[] bucketOf(long key) {
            if (key != lastKey || last == null) {
                last = byBucket.get(key);
                if (last == null) {
                    if (byBucket.size() == maxBuckets) {
                        throw new TooManyBuckets(maxBuckets);
                    }
                    last = new int[State.values().length];
                    byBucket.put(key, last);
                }
                lastKey = key;
            }
            return last;
        }

        Histogram finish() {
            long[] keys = byBucket.keySet().toLongArray();
            Arrays.sort(keys);
            List<Bucket> buckets = new ArrayList<>(keys.length);
            for (long k : keys) {
                Bucket b = new Bucket(k * width, byBucket.get(k));
                // A run of actions whose states the query left out made its bucket without counting anything.
                if (b.total() > 0) {
                    buckets.add(b);
                }
            }
            return new Histogram(width, total, buckets);
        }
    }
}
