package io.actionlog.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CycleTableTest {

    @Test
    void mapsDensePositionsToIndexesAcrossRuns() {
        CycleTable table = CycleTable.EMPTY
                .withRun(0, 100L << 32)
                .withRun(5, 102L << 32)
                .withRun(6, (103L << 32) + 3);
        assertEquals(100L << 32, table.indexOf(0));
        assertEquals((100L << 32) + 4, table.indexOf(4));
        assertEquals(102L << 32, table.indexOf(5));
        assertEquals((103L << 32) + 3, table.indexOf(6));
        assertEquals((103L << 32) + 1003, table.indexOf(1006));
        assertEquals(1, table.runOf(5));
        assertEquals(6, table.endOf(1));
        assertEquals(Long.MAX_VALUE, table.endOf(2));
        assertEquals((103L << 32) + 4, table.nextIndexInLastRun(7));
    }

    @Test
    void findsTheRunOfEveryPositionAmongMany() {
        CycleTable table = CycleTable.EMPTY;
        for (int run = 0; run < 400; run++) {
            table = table.withRun(run * 10L, ((long) run << 32));
        }
        for (long position = 0; position < 4000; position++) {
            assertEquals(((position / 10) << 32) + position % 10, table.indexOf(position));
        }
    }

    @Test
    void refusesRunsOutOfOrderAndPositionsBeforeTheFirst() {
        CycleTable table = CycleTable.EMPTY.withRun(10, 1L << 32);
        assertThrows(IllegalArgumentException.class, () -> table.withRun(10, 2L << 32));
        assertThrows(IllegalArgumentException.class, () -> table.indexOf(9));
        assertEquals(Long.MIN_VALUE, CycleTable.EMPTY.nextIndexInLastRun(0));
    }
}
