package io.actionlog.index;

import io.actionlog.action.State;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

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
     * Buckets the members of {@code matches}. Runs under the index's read lock. Actions are mostly recorded in start
     * order, so consecutive members nearly always share a bucket: the last bucket is kept at hand and the map is
     * only consulted when the bucket changes.
     */
    static Histogram of(RoaringBitmap matches, Columns.Times start, Columns.Bytes states, long width, int maxBuckets) {
        Long2ObjectOpenHashMap<int[]> byBucket = new Long2ObjectOpenHashMap<>();
        long lastKey = Long.MIN_VALUE;
        int[] last = null;
        int total = 0;
        for (IntIterator it = matches.getIntIterator(); it.hasNext(); ) {
            int o = it.next();
            long key = Math.floorDiv(start.get(o), width);
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
            last[states.get(o)]++;
            total++;
        }
        long[] keys = byBucket.keySet().toLongArray();
        Arrays.sort(keys);
        List<Bucket> buckets = new ArrayList<>(keys.length);
        for (long k : keys) {
            buckets.add(new Bucket(k * width, byBucket.get(k)));
        }
        return new Histogram(width, total, buckets);
    }
}
