package io.actionlog.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lookup from a field's values to their numbers, against a map doing the same. */
class ValueSlotsTest {
    private static final int ABSENT = -1;

    /** Strings of "Aa" and "BB" pieces all share one hash code, so they share one probe sequence. */
    private static String colliding(int n) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 11; bit++) {
            s.append((n >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return s.toString();
    }

    @Test
    void findsEveryValueAndNoOtherThroughGrowthAndCollidingHashes() {
        ValueSlots slots = new ValueSlots();
        String[] values = new String[2000];
        for (int n = 0; n < values.length; n++) {
            values[n] = n % 2 == 0 ? colliding(n) : "value-" + n;
            slots.put(values[n], n);
        }
        for (int n = 0; n < values.length; n++) {
            assertEquals(n, slots.find(new String(values[n]), values, ABSENT));
        }
        assertEquals(ABSENT, slots.find(colliding(1001), values, ABSENT));
        assertEquals(ABSENT, slots.find("value-2001", values, ABSENT));
    }

    /** The journal takes back the newest numbers when their entries were not written; any order must work. */
    @Test
    void removedNumbersAreGoneAndTheOthersStillFound() {
        Random random = new Random(17);
        ValueSlots slots = new ValueSlots();
        String[] values = new String[4000];
        Map<String, Integer> model = new HashMap<>();
        List<Integer> held = new ArrayList<>();
        for (int n = 0; n < values.length; n++) {
            values[n] = random.nextBoolean() ? colliding(random.nextInt(2048)) + n % 7 : "v" + random.nextInt(100_000);
            if (model.containsKey(values[n])) {
                continue;
            }
            slots.put(values[n], n);
            model.put(values[n], n);
            held.add(n);
            if (random.nextInt(3) == 0) {
                int gone = held.remove(random.nextInt(held.size()));
                slots.remove(values[gone], gone);
                model.remove(values[gone]);
            }
        }
        for (int n = 0; n < values.length; n++) {
            if (values[n] != null) {
                assertEquals(model.getOrDefault(values[n], ABSENT), slots.find(values[n], values, ABSENT),
                        values[n]);
            }
        }
    }
}
