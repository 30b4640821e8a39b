package io.actionlog.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostingsTest {

    /** 300,000 ordinals: "thin" every 20,000th (a few per chunk), "busy" every 3rd, "each" on every one. */
    private static List<int[]> pairs() {
        List<int[]> out = new ArrayList<>();
        for (int o = 0; o < 300_000; o++) {
            out.add(new int[]{0, o});
            if (o % 3 == 0) {
                out.add(new int[]{1, o});
            }
            if (o % 20_000 == 7) {
                out.add(new int[]{2, o});
                out.add(new int[]{2, o}); // the same parent named twice by one action
            }
        }
        return out;
    }

    private static final String[] NAMES = {"each", "busy", "thin"};

    private static Postings fill(boolean replaying) {
        Postings p = new Postings();
        if (replaying) {
            p.buffer();
        }
        for (int[] pair : pairs()) {
            p.add(NAMES[pair[0]], pair[1]);
        }
        if (replaying) {
            p.flush();
        }
        return p;
    }

    private static RoaringBitmap expected(int name) {
        RoaringBitmap r = new RoaringBitmap();
        pairs().stream().filter(pair -> pair[0] == name).forEach(pair -> r.add(pair[1]));
        return r;
    }

    @Test
    void thinValuesAreArraysAndFrequentOnesBitmapsWithTheSameAnswers() {
        for (boolean replaying : new boolean[]{false, true}) {
            Postings p = fill(replaying);
            assertFalse(p.heldAsBitmap("thin"), "15 ordinals over 5 chunks are cheaper as an array");
            assertTrue(p.heldAsBitmap("busy"));
            assertTrue(p.heldAsBitmap("each"));
            for (int name = 0; name < NAMES.length; name++) {
                assertEquals(expected(name), p.get(NAMES[name]), NAMES[name] + (replaying ? " (replay)" : ""));
            }
            assertEquals(15, p.get("thin").getCardinality(), "a repeated ordinal counts once");
            assertTrue(p.get("none").isEmpty());
        }
    }

    @Test
    void aValueSwitchesToABitmapOnceItIsDenserThanItsChunksCost() {
        Postings p = new Postings();
        for (int o = 0; o < Postings.PER_CHUNK; o++) {
            p.add("v", o);
        }
        assertFalse(p.heldAsBitmap("v"));
        p.add("v", Postings.PER_CHUNK);
        assertTrue(p.heldAsBitmap("v"));
        p.add("v", 1 << 20);
        assertEquals(Postings.PER_CHUNK + 2, p.get("v").getCardinality());
    }

    @Test
    void objectsSpreadOverTheWholeJournalStayArraysInAscendingOrder() {
        Random random = new Random(3);
        Postings p = new Postings();
        p.buffer();
        int objects = 10_000;
        RoaringBitmap seven = new RoaringBitmap();
        for (int o = 0; o < 1_000_000; o++) {
            int object = random.nextInt(objects);
            p.add("object" + object, o);
            if (object == 7) {
                seven.add(o);
            }
        }
        p.flush();
        for (int i = 0; i < objects; i++) {
            assertFalse(p.heldAsBitmap("object" + i), "object" + i);
        }
        assertEquals(seven, p.get("object7"));
    }

    @Test
    void aJournalNumberFindsOnlyTheValueThatIsHeldUnderIt() {
        Postings p = new Postings();
        p.buffer();
        String first = new String("user-a");
        int a = p.idOf(first, 0);
        assertEquals(a, p.idOf(first, 0));
        // A torn tail can leave a number that an earlier entry gave to another value: the value decides, not the number.
        String other = new String("user-b");
        int b = p.idOf(other, 0);
        assertNotEquals(a, b);
        assertEquals(b, p.idOf(new String("user-b"), 0));
        assertEquals(a, p.idOf(new String("user-a"), 0));
        p.add(a, 1);
        p.add(b, 2);
        p.flush();
        assertEquals(RoaringBitmap.bitmapOf(1), p.get("user-a"));
        assertEquals(RoaringBitmap.bitmapOf(2), p.get("user-b"));
    }

    @Test
    void thinValuesKeepOrdinalsOfEveryGapSize() {
        Postings p = new Postings();
        int[] ordinals = {0, 1, 127, 128, 255, 16_383, 16_384, 70_000, 2_097_151, 2_097_152, 1 << 30,
                Integer.MAX_VALUE - 1};
        for (int o : ordinals) {
            p.add("far", o);
        }
        assertFalse(p.heldAsBitmap("far"));
        assertEquals(RoaringBitmap.bitmapOf(ordinals), p.get("far"));
    }
}
