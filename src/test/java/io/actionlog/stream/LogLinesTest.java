package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogLinesTest {
    @Test
    void linesAreThoseOfTheWholeTextWhereverItsPiecesEnd() {
        Random random = new Random(7);
        String text = "a\n\nbc\nd\u00e9f\n\ud83d\ude00 g\nlast";
        for (int round = 0; round < 500; round++) {
            LogLines lines = new LogLines("");
            List<String> got = new ArrayList<>();
            for (int at = 0; at < text.length(); ) {
                int to = Math.min(text.length(), at + random.nextInt(4));
                got.addAll(lines.add(text.substring(at, to)));
                at = to;
            }
            assertEquals("last", lines.held());
            got.add(lines.rest());
            assertEquals(List.of("a", "", "bc", "d\u00e9f", "\ud83d\ude00 g", "last"), got);
            assertNull(lines.rest());
        }
    }

    @Test
    void aLineLongerThanTheBoundGoesOutInPiecesThatKeepCharactersWhole() {
        LogLines lines = new LogLines("x".repeat(LogLines.MAX_OPEN - 1));
        String emoji = "\ud83d\ude00";
        List<String> out = lines.add(emoji + "tail\n");
        // The pair does not fit in the one char left: the held text goes first, then the pair starts the next piece.
        assertEquals(List.of("x".repeat(LogLines.MAX_OPEN - 1), emoji + "tail"), out);
        List<String> pieces = new LogLines("").add("y".repeat(2 * LogLines.MAX_OPEN + 5) + "\n");
        assertEquals(3, pieces.size());
        assertEquals(LogLines.MAX_OPEN, pieces.get(0).length());
        assertEquals(LogLines.MAX_OPEN, pieces.get(1).length());
        assertEquals("yyyyy", pieces.get(2));
    }
}
