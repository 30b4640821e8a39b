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
        String emoji = "\ud83d\ude00";
        LogLines lines = new LogLines("x".repeat(LogLines.MAX_OPEN - 1));
        // The pair is one character: it fills the piece, which goes once more of the line comes.
        assertEquals(List.of("x".repeat(LogLines.MAX_OPEN - 1) + emoji, "tail"), lines.add(emoji + "tail\n"));
        List<String> pieces = new LogLines("").add("y".repeat(2 * LogLines.MAX_OPEN + 5) + "\n");
        assertEquals(List.of("y".repeat(LogLines.MAX_OPEN), "y".repeat(LogLines.MAX_OPEN), "yyyyy"), pieces);
        // Characters, not UTF-16 units: 40,000 emoji are one line.
        assertEquals(List.of(emoji.repeat(40_000)), new LogLines("").add(emoji.repeat(40_000) + "\n"));
    }

    /** A line of exactly the bound (or twice it) is that many pieces, not one more that is empty. */
    @Test
    void aLineOfExactlyTheBoundIsNoPieceAndAnEmptyLine() {
        String full = "b".repeat(LogLines.MAX_OPEN);
        assertEquals(List.of(full, "after"), new LogLines("").add(full + "\nafter\n"));
        LogLines lines = new LogLines("");
        assertEquals(List.of(), lines.add(full));
        assertEquals(List.of(full, "after"), lines.add("\nafter\n"));
        assertEquals(List.of(full, full), new LogLines("").add(full + full + "\n"));
        LogLines held = new LogLines("");
        held.add(full);
        assertEquals(full, held.rest());
    }
}
