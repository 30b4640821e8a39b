package io.actionlog.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.journal.Entry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The near columns give back exactly what was set, whether a block stays narrow or has to be widened. */
class ColumnsTest {

    @Test
    void nearLongsKeepEveryValueThroughFarOnesExtremesAndRewrites() {
        Columns.NearLongs column = new Columns.NearLongs();
        long[] expected = new long[5 * Columns.NEAR_BLOCK + 17];
        Random rnd = new Random(1);
        long t = 1_767_225_600_000_000L;
        for (int i = 0; i < expected.length; i++) {
            t += rnd.nextInt(1_000_000);
            expected[i] = t;
        }
        // Block 1 gets a far start, block 2 the "no time" marker and the largest long, block 3 a value that would
        // overflow a naive subtraction from its base.
        expected[Columns.NEAR_BLOCK + 5] = t - 90L * 86_400_000_000L;
        expected[2 * Columns.NEAR_BLOCK] = Entry.NO_TIME;
        expected[2 * Columns.NEAR_BLOCK + 1] = Long.MAX_VALUE;
        expected[3 * Columns.NEAR_BLOCK] = Long.MAX_VALUE - 10;
        expected[3 * Columns.NEAR_BLOCK + 1] = Long.MIN_VALUE + 10;
        long narrowBytes = 0;
        for (int i = 0; i < expected.length; i++) {
            column.set(i, expected[i]);
            if (i == Columns.NEAR_BLOCK - 1) {
                narrowBytes = column.heapBytes();
            }
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], column.get(i), "ordinal " + i);
        }
        column.set(7, expected[7] + 1);
        column.set(4 * Columns.NEAR_BLOCK + 3, -5);
        assertEquals(expected[7] + 1, column.get(7));
        assertEquals(-5, column.get(4 * Columns.NEAR_BLOCK + 3));
        assertEquals(expected[4 * Columns.NEAR_BLOCK + 4], column.get(4 * Columns.NEAR_BLOCK + 4));
        assertTrue(narrowBytes < Columns.NEAR_BLOCK * 8L, "a block of near values takes ints, not longs");
    }

    @Test
    void nearIntsKeepEveryValueWhenABlockSpreadsOrGoesBelowItsFirst() {
        Columns.NearInts column = new Columns.NearInts();
        int[] expected = new int[4 * Columns.NEAR_BLOCK];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = 3 * i + 100;
        }
        expected[Columns.NEAR_BLOCK + 9] = 3 * (Columns.NEAR_BLOCK + 9) + 100 + 70_000; // further than a char
        expected[2 * Columns.NEAR_BLOCK + 9] = Integer.MAX_VALUE;
        for (int i = 0; i < expected.length; i++) {
            column.set(i, expected[i]);
        }
        column.set(3 * Columns.NEAR_BLOCK + 1, 0); // below the block's first value
        expected[3 * Columns.NEAR_BLOCK + 1] = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], column.get(i), "ordinal " + i);
        }
    }
}
