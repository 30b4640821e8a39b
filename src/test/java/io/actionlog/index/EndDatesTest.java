package io.actionlog.index;

import io.actionlog.journal.Entry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EndDatesTest {

    @Test
    void everyEndDateReadsBackExactlyWhetherNearOrFarFromItsStart() {
        Columns.Longs start = new Columns.Longs();
        EndDates end = new EndDates(start);
        long t = 1_764_000_000_000_000L;
        long[][] cases = {
            {t, t}, {t, t + 1}, {t, t + Integer.MAX_VALUE}, {t, t + Integer.MAX_VALUE + 1L}, {t, t - 5},
            {t, t + 86_400_000_000L * 400}, {t, Entry.NO_TIME}, {Entry.NO_TIME, t}, {Entry.NO_TIME, Entry.NO_TIME},
            {Long.MAX_VALUE, Long.MIN_VALUE + 1}, {Long.MIN_VALUE + 1, Long.MAX_VALUE}, {t, t + Integer.MIN_VALUE + 2L},
        };
        for (int o = 0; o < cases.length; o++) {
            start.set(o, cases[o][0]);
            end.set(o, cases[o][1]);
        }
        for (int o = 0; o < cases.length; o++) {
            assertEquals(cases[o][1], end.get(o), "case " + o);
        }
    }

    @Test
    void aLaterEndReplacesAnEarlierOne() {
        Columns.Longs start = new Columns.Longs();
        EndDates end = new EndDates(start);
        start.set(0, 1_000);
        end.set(0, 1_000L + 86_400_000_000L);
        end.set(0, 2_000);
        assertEquals(2_000, end.get(0));
        end.set(0, Entry.NO_TIME);
        assertEquals(Entry.NO_TIME, end.get(0));
        assertEquals(16 + Columns.CHUNK * 4L, end.heapBytes(), "nothing left in the map of far ends");
    }
}
