package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The budget's arithmetic: the whole of it, and each caller's share of it. */
class SendBudgetTest {
    @Test
    void oneCallerHoldsAtMostItsShareAndAlonePassesAnySize() {
        SendBudget budget = new SendBudget(16_000_000);
        assertTrue(budget.take("mallory", 3_000_000));
        assertFalse(budget.take("mallory", 2_000_000), "past a quarter for one caller");
        assertTrue(budget.take("alice", 4_000_000));
        assertTrue(budget.take("bob", 4_000_000));
        assertTrue(budget.take("carol", 4_000_000));
        assertFalse(budget.take("dave", 2_000_000), "past the whole budget");
        assertEquals(15_000_000, budget.held());
        budget.give("mallory", 3_000_000);
        assertTrue(budget.take("mallory", 1_000_000));
        for (String who : new String[] {"mallory", "alice", "bob", "carol"}) {
            budget.give(who, who.equals("mallory") ? 1_000_000 : 4_000_000);
        }
        assertEquals(0, budget.held());
        assertTrue(budget.take("eve", 50_000_000), "alone, an answer larger than the whole budget still goes");
        assertFalse(budget.take("eve", 1), "and nothing else of the same caller beside it");
        assertFalse(budget.take("frank", 1), "nor of anyone else");
        assertEquals(4, budget.refused());
    }
}
