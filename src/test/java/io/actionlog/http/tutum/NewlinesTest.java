package io.actionlog.http.tutum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NewlinesTest {

    @Test
    void findsTheFirstNewlineOfAnyRangeLikeAByteByByteSearch() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int i = 0; i < data.length; i++) {
                // Bytes next to '\n' (0x09, 0x0B), the high bit set, and newlines, densely or sparsely.
                int pick = random.nextInt(round % 2 == 0 ? 6 : 40);
                data[i] = pick == 0 ? (byte) '\n' : pick == 1 ? 0x0B : pick == 2 ? 0x09 : pick == 3 ? (byte) 0x8A
                        : pick == 4 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            for (int from = 0; from <= data.length; from++) {
                for (int to = from; to <= data.length; to++) {
                    assertEquals(naive(data, from, to), Newlines.next(data, from, to));
                }
            }
        }
    }

    @Test
    void answersNoneForAnEmptyArrayOrAStartAtTheEnd() {
        assertEquals(-1, Newlines.next(new byte[0], 0, 0));
        assertEquals(-1, Newlines.next("abc\n".getBytes(), 4, 4));
        assertEquals(3, Newlines.next("abc\n".getBytes(), 3, 4));
        assertEquals(-1, Newlines.next("abc\n".getBytes(), 0, 3), "the end bounds the search");
    }

    private static int naive(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
