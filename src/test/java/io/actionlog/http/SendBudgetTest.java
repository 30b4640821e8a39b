package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic: room reserved before an answer is built, settled to its size, given back on failure. */
class SendBudgetTest {
    @Test
    void roomIsReservedBeforeTheWorkAndSettledToTheAnswersSize() {
        SendBudget budget = new SendBudget(10_000_000);
        SendBudget.Reservation big = budget.reserve(4_000_000);
        SendBudget.Reservation other = budget.reserve(4_000_000);
        assertEquals(8_000_000, budget.held());
        assertEquals(503, assertThrows(HttpError.class, () -> budget.reserve(4_000_000)).status(),
                "no third page is built while two may take the room");
        assertThrows(HttpError.class, () -> budget.refuseIfSpent(4_000_000));
        big.settle(Buffer.buffer(new byte[100_000]));
        assertEquals(4_100_000, budget.held(), "a built page holds its real size");
        other.settle(Buffer.buffer(new byte[100]));
        assertEquals(100_000, budget.held(), "a small answer holds nothing");
        SendBudget.Reservation failed = budget.reserve(4_000_000);
        failed.cancel();
        assertEquals(100_000, budget.held());
        budget.give(100_000);
        assertTrue(budget.take(50_000_000), "alone, an answer larger than the whole budget still goes");
        assertFalse(budget.take(1), "and nothing else beside it");
    }
}
