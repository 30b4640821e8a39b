package io.actionlog.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifyProgressTest {
    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final StringWriter text = new StringWriter();
    private final VerifyProgress progress = new VerifyProgress(new PrintWriter(text, true), clock::get);

    @Test
    void eachLineGivesTheShareTheTimeSinceTheStartTheRateSinceTheLastLineAndTheTimeLeft() {
        progress.total(10_000_000);
        clock.addAndGet(3_000_000_000L); // opening the journal and the first million took 3 s
        progress.accept(1_000_000);
        clock.addAndGet(500_000_000L); // then half a second a million
        progress.accept(2_000_000);
        assertEquals("verify: 1000000 of 10000000 entries hashed (10 %), 3.0 s, 333,333 entries/s lately, about 27 s left\n"
                + "verify: 2000000 of 10000000 entries hashed (20 %), 3.5 s, 2,000,000 entries/s lately, about 4 s left\n",
                text.toString());
    }

    @Test
    void theClosingLineGivesTheWholeRunsTimeAndRate() {
        progress.total(10_000_000);
        clock.addAndGet(8_000_000_000L);
        progress.done(10_000_000);
        assertEquals("verify: 10000000 entries in 8.0 s, 1,250,000 entries/s\n", text.toString());
    }

    @Test
    void theSignatureLinesGiveTheTimeSinceTheStart() {
        clock.addAndGet(61_250_000_000L);
        progress.signatures(65_536);
        assertEquals("verify: 65536 checkpoint signatures checked, 61.3 s\n", text.toString());
    }

    @Test
    void noTimeGoneAndAnEmptyJournalGiveNoRateNorDivideByZero() {
        progress.total(0);
        progress.accept(0);
        progress.done(0);
        assertEquals("verify: 0 of 0 entries hashed (100 %), 0.0 s\nverify: 0 entries in 0.0 s\n",
                text.toString().replace(System.lineSeparator(), "\n"));
    }
}
