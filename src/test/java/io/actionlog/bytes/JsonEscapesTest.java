package io.actionlog.bytes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The word-at-a-time rule agrees with the rule stated one byte at a time, at every position and length. */
class JsonEscapesTest {

    private static boolean needsEscape(int b) {
        return b < 0x20 || b == '"' || b == '\\' || (b & 0xF8) == 0xF0;
    }

    @Test
    void everyByteAtEveryPlaceOfAWordIsMarkedExactlyWhenItNeedsAnEscape() {
        for (int b = 0; b < 256; b++) {
            for (int at = 0; at < Long.BYTES; at++) {
                byte[] word = "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                word[at] = (byte) b;
                long marks = JsonEscapes.marks(Words.at(word, 0));
                assertEquals(needsEscape(b), marks != 0, "byte " + b + " at " + at);
                if (marks != 0) {
                    assertEquals(at, Words.firstMarked(marks), "byte " + b + " at " + at);
                }
            }
        }
    }

    @Test
    void noneAgreesWithAByteByByteLookAtRandomTextOfEveryShortLength() {
        SplittableRandom random = new SplittableRandom(5);
        int[] usual = {'a', 'Z', '/', ' ', '~', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0x7F};
        for (int round = 0; round < 20_000; round++) {
            byte[] text = new byte[random.nextInt(40)];
            for (int i = 0; i < text.length; i++) {
                text[i] = (byte) (random.nextInt(20) == 0 ? random.nextInt(256) : usual[random.nextInt(usual.length)]);
            }
            int from = text.length == 0 ? 0 : random.nextInt(text.length);
            int n = random.nextInt(text.length - from + 1);
            boolean expected = true;
            for (int i = from; i < from + n; i++) {
                expected &= !needsEscape(text[i] & 0xFF);
            }
            assertEquals(expected, JsonEscapes.none(text, from, n), () -> java.util.Arrays.toString(text));
        }
    }
}
