package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapAdviceTest {
    @Test
    void theAdviceIsOneLineNamingXmxAndTheFigureForTheJournal() {
        String advice = HeapAdvice.forReplay(3_000_000);
        assertFalse(advice.contains("\n"), advice);
        assertTrue(advice.contains("3,000,000 entries"), advice);
        assertTrue(advice.contains("-Xmx384m"), advice);
        assertTrue(advice.contains("100 MiB per million actions"), advice);
    }
}
