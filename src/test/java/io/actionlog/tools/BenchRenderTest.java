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
}
