package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeapAdviceTest {
    @Test
    void theAdviceIsOneLineNamingXmxAndTheFigureForTheJournal() {
        String advice = HeapAdvice.forReplay(3_000_000, 256);
        assertFalse(advice.contains("\n"), advice);
        assertTrue(advice.contains("3,000,000 entries"), advice);
        assertTrue(advice.contains("-Xmx384m"), advice);
        assertTrue(advice.contains("100 MiB per million actions"), advice);
    }

    @Test
    void theAdviceNeverNamesAHeapNoLargerThanTheOneThatRanOut() {
        // Actions larger than usual (many long parents) can exhaust a heap above the figure for their number.
        long max = Runtime.getRuntime().maxMemory() >> 20;
        String advice = HeapAdvice.forReplay(1_790);
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(advice);
        assertTrue(xmx.find(), advice);
        assertTrue(Long.parseLong(xmx.group(1)) > max, max + " MiB ran out: " + advice);
    }
}
