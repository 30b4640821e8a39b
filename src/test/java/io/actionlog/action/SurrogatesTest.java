package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SurrogatesTest {
    private static final String SMILE = "\ud83d\ude00";

    @Test
    void aHighSurrogateFollowedByALowOneIsOnePair() {
        assertTrue(Surrogates.pairAt("a" + SMILE, 1));
        assertFalse(Surrogates.pairAt("a" + SMILE, 2));
        assertFalse(Surrogates.pairAt("\ud83d", 0));
        assertFalse(Surrogates.pairAt("\ude00\ud83d", 0));
    }

    @Test
    void theFirstHalfWithoutItsOtherHalfIsFound() {
        assertEquals(-1, Surrogates.firstLone("plain " + SMILE + SMILE));
        assertEquals(-1, Surrogates.firstLone(""));
        assertEquals(2, Surrogates.firstLone(SMILE + "\ud83d"));
        assertEquals(1, Surrogates.firstLone("x\ude00" + SMILE));
        assertEquals(0, Surrogates.firstLone("\ud83d\ud83d\ude00"));
    }

    @Test
    void loneHalvesAreReplacedAndPairsKept() {
        String ok = "ok " + SMILE;
        assertSame(ok, Surrogates.replaceLone(ok));
        assertNull(Surrogates.replaceLone(null));
        assertEquals("a\ufffd" + SMILE + "\ufffdb", Surrogates.replaceLone("a\ude00" + SMILE + "\ud83db"));
    }
}
