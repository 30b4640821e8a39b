package io.actionlog.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchRenderTest {

    @Test
    void renderPrintsTheSizeOfAPageAndTheTimePerRow() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(List.of("render", "--pages", "20"), new PrintStream(out, true),
                new PrintStream(err, true));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        long bytes = Long.parseLong(text.replaceAll("(?s).*render_bytes_per_page=(\\d+).*", "$1"));
        assertTrue(bytes > 25 * 400 && bytes < 25 * 1000, "a page of 25 generated rows: " + bytes + " bytes");
        assertTrue(text.contains("render_ns_per_row_median="), text);
        assertTrue(text.contains("render_ns_per_row_best="), text);
    }

    @Test
    void renderAgainstAnotherBuildTakesTurnsAndPrintsTheRatio() {
        // This build against itself, the other copy loaded from the test's own class path.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(List.of("render", "--against", System.getProperty("java.class.path"),
                "--pages", "20", "--rounds", "3"), new PrintStream(out, true), new PrintStream(err, true));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        for (int round = 1; round <= 3; round++) {
            assertTrue(text.contains("render_round_" + round + "_ns_per_row="), text);
        }
        double ratio = Double.parseDouble(text.replaceAll("(?s).*render_ratio_median=([0-9.]+).*", "$1"));
        assertTrue(ratio > 0 && ratio < 100, text);
        assertTrue(text.contains("render_faster_rounds="), text);
    }

    @Test
    void renderAgainstAMissingBuildFailsNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(List.of("render", "--against", "no-such-build.jar"),
                new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
        assertEquals(1, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no-such-build.jar"), err.toString(StandardCharsets.UTF_8));
    }
}
