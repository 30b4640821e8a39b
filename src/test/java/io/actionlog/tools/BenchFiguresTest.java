package io.actionlog.tools;

import io.actionlog.support.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process figures the benchmark scripts read: {@code bench replay} on a generated journal and {@code bench
 * bulk} of a generated file print every figure, counted right. Times are only checked to be there, never bounded.
 */
class BenchFiguresTest {
    @TempDir
    Path dir;

    @Test
    void replayOfAGeneratedJournalPrintsRateHeapAndJournalSizePerAction() {
        Path data = dir.resolve("data");
        Cli generated = Cli.run("generate", "--count", "5000", "--seed", "3", "--data-dir", data.toString(), "--create");
        assertEquals(0, generated.code(), generated.err());
        Map<String, Double> figures = bench(List.of("replay", "--data-dir", data.toString()));
        assertEquals(5000, figures.get("actions"));
        assertEquals(5000, figures.get("entries"));
        assertTrue(figures.get("replay_actions_per_s") > 0, figures.toString());
        assertTrue(figures.get("ready_ms") >= figures.get("replay_ms"), "ready includes the open: " + figures);
        assertTrue(figures.get("heap_bytes_per_action") > 0, figures.toString());
        assertTrue(figures.get("index_estimate_bytes_per_action") > 0, figures.toString());
        assertTrue(figures.get("journal_disk_bytes_per_action") > 0, figures.toString());
    }

    @Test
    void bulkOfAGeneratedFileIntoAFreshServerCountsEveryLineAccepted() {
        Path file = dir.resolve("actions.ndjson");
        Cli generated = Cli.run("generate", "--count", "2000", "--seed", "4", "--out", file.toString());
        assertEquals(0, generated.code(), generated.err());
        Map<String, Double> figures = bench(List.of("bulk", "--ndjson", file.toString(),
                "--data-dir", dir.resolve("bulk").toString()));
        assertEquals(200, figures.get("bulk_status"));
        assertEquals(2000, figures.get("bulk_accepted"));
        assertEquals(0, figures.get("bulk_rejected"));
        assertTrue(figures.get("bulk_actions_per_s") > 0, figures.toString());
    }

    @Test
    void leafCostsPrintEveryStepOfTheTreeBesideTheParse() {
        Map<String, Double> figures = bench(List.of("leaves", "--count", "3000", "--rounds", "2"));
        assertEquals(3000, figures.get("leaf_actions"));
        assertEquals(2, figures.get("leaf_rounds"));
        // A generated action's leaf: its members' names and dates alone take over 300 bytes.
        assertTrue(figures.get("leaf_bytes_per_action") > 300, figures.toString());
        for (String step : List.of("parse_ns", "leaf_halves_ns", "leaf_hash_from_halves_ns", "leaf_whole_ns",
                "leaf_sha256_ns", "node_hash_ns")) {
            assertTrue(figures.get(step) > 0, step + " in " + figures);
        }
    }

    @Test
    void nameSortCostsPrintEveryPageWithItsRowsAmongTheNamesAsked() {
        Map<String, Double> figures = bench(List.of("names", "--count", "5000", "--names", "4000", "--rounds", "2"));
        assertEquals(5000, figures.get("names_actions"));
        assertEquals(4000, figures.get("names_distinct"));
        for (String page : List.of("user_name", "user_name_desc_page2", "user_outcome_name", "all_name",
                "all_name_deep")) {
            assertTrue(figures.get(page + "_ms_median") > 0, page + " in " + figures);
            assertTrue(figures.get(page + "_write_wait_ms_max") >= 0, page + " in " + figures);
            assertEquals(25, figures.get(page + "_rows"), page + " in " + figures);
        }
    }

    @Test
    void leafCostsOfNoActionsAreAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, BenchCommand.run(List.of("leaves", "--count", "0"), quiet(), new PrintStream(err, true)));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("--count and --rounds must be at least 1"), text);
    }

    @Test
    void anIncompleteCommandIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, BenchCommand.run(List.of("replay"), quiet(), new PrintStream(err, true)));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Missing required option: '--data-dir=DIR'"), text);
        assertTrue(text.contains("Usage: actionlog-bench replay"), text);
    }

    /** Runs a bench command and reads its key=value lines. */
    private static Map<String, Double> bench(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(args, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        Map<String, Double> figures = new HashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                figures.put(line.substring(0, eq), Double.parseDouble(line.substring(eq + 1)));
            }
        }
        return figures;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true);
    }
}
