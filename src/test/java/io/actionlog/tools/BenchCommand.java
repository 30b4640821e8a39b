package io.actionlog.tools;

import io.actionlog.config.Config;
import io.actionlog.http.tutum.ListRendering;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import io.actionlog.server.CeilingCommand;
import io.actionlog.server.Server;
import io.actionlog.store.ActionReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The figures of the benchmark that wrk cannot give, measured in this JVM, and the ceiling wrk runs against. Not
 * part of the product: {@code mvn -Pbench package} builds {@code target/actionlog-bench.jar} from the test classes,
 * which runs this beside {@code target/actionlog.jar}.
 * <ul>
 * <li>{@code replay --data-dir DIR}: opens a stopped server's journal and replays it into a fresh index
 * through the same call as the server at start (entries/s, time to ready), then the heap the loaded index
 * holds, measured after full collections as heap used minus the heap used before the replay, and the
 * journal's size per action.
 * <li>{@code bulk --ndjson FILE --data-dir DIR}: starts the real server on a fresh directory and a free
 * port of 127.0.0.1, posts the file to the bulk endpoint once and times it from the first byte sent to the reply.
 * <li>{@code render [--pages N]}: reads a Tutum list page of 25 neighbours among 20,000 generated actions
 * in a journal in a temporary directory and writes it as JSON, as a list request does once it has its rows, N
 * (40,000) pages a round for 10 rounds, and prints the nanoseconds per row of the median and the fastest round:
 * the part of a list request that wrk cannot separate from the rest.
 * <li>{@code render --against OTHER.jar [--pages N] [--rounds R]}: the same, this build and another taking
 * turns in this JVM, N (8,000) pages a round for R (12) rounds after one to warm up (see {@link RenderComparison}).
 * <li>{@code leaves [--count N] [--rounds R]}: what the Merkle tree costs a generated action on one thread, step
 * by step, beside the parse of its bulk line (see {@link LeafCosts}).
 * <li>{@code names [--count N] [--names D] [--rounds R]}: Waldur pages ordered by action name, for a user with a few
 * actions and for every action, among N actions with D distinct names (see {@link NameSortCosts}).
 * <li>{@code ceiling}: see {@link CeilingCommand}.
 * </ul>
 * Each figure is printed as one {@code key=value} line, for scripts to read.
 */
@Command(name = "actionlog-bench", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        subcommands = CeilingCommand.class,
        description = "Benchmark figures measured in process, and the ceiling.")
public final class BenchCommand implements Callable<Integer> {
    private static final String BENCH_KEY = "bench-harness-admin-key-000000";

    static {
        try {
            // Main's static block sets the JVM-wide properties the server runs with (Chronicle's among them).
            Class.forName("io.actionlog.Main");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Spec
    private CommandSpec spec;
    private final PrintStream out;

    private BenchCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        return new CommandLine(new BenchCommand(out))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    line.getErr().println(line.getCommandSpec().qualifiedName() + ": "
                            + (e.getMessage() != null ? e.getMessage() : e));
                    return 1;
                })
                .execute(args.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "a subcommand is needed: replay, bulk, render, leaves, "
                + "names or ceiling");
    }

    @Command(name = "replay", description = "Replay a stopped server's journal: rate, heap per action, journal size.")
    int replayFigures(@Option(names = "--data-dir", paramLabel = "DIR", required = true) Path dataDir)
            throws IOException {
        replay(dataDir, out);
        return 0;
    }

    @Command(name = "bulk", description = "Post an NDJSON file to a fresh in-process server's bulk endpoint, timed.")
    int bulkFigures(@Option(names = "--ndjson", paramLabel = "FILE", required = true) Path ndjson,
                    @Option(names = "--data-dir", paramLabel = "DIR", required = true) Path dataDir) throws Exception {
        bulk(ndjson, dataDir, out);
        return 0;
    }

    @Command(name = "render", description = "Time reading and writing the rows of Tutum list pages.")
    int renderFigures(@Option(names = "--pages", paramLabel = "N", description = "pages a round "
                              + "(default: 40000, or 8000 with --against)") Integer pages,
                      @Option(names = "--against", paramLabel = "OTHER.jar",
                              description = "another build (a jar or a class path) to take turns with") String against,
                      @Option(names = "--rounds", paramLabel = "R", defaultValue = "12",
                              description = "rounds with --against (default: ${DEFAULT-VALUE})") int rounds)
            throws Exception {
        if (against != null) {
            RenderComparison.run(against, pages != null ? pages : 8000, rounds, out);
        } else {
            render(pages != null ? pages : 40_000, out);
        }
        return 0;
    }

    @Command(name = "leaves", description = "Time the Merkle tree's steps for generated actions on one thread.")
    int leafFigures(@Option(names = "--count", paramLabel = "N", defaultValue = "200000",
                            description = "actions a round (default: ${DEFAULT-VALUE})") int count,
                    @Option(names = "--rounds", paramLabel = "R", defaultValue = "9",
                            description = "rounds after the one that warms up (default: ${DEFAULT-VALUE})") int rounds)
            throws IOException {
        if (count < 1 || rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--count and --rounds must be at least 1");
        }
        LeafCosts.run(count, rounds, out);
        return 0;
    }

    @Command(name = "names", description = "Time Waldur pages ordered by action name among many distinct names.")
    int nameFigures(@Option(names = "--count", paramLabel = "N", defaultValue = "1000000",
                            description = "actions (default: ${DEFAULT-VALUE})") int count,
                    @Option(names = "--names", paramLabel = "D", defaultValue = "1000000",
                            description = "distinct action names (default: ${DEFAULT-VALUE})") int names,
                    @Option(names = "--rounds", paramLabel = "R", defaultValue = "15",
                            description = "times each page is asked, after five untimed (default: ${DEFAULT-VALUE})")
                    int rounds) throws IOException {
        if (count < 1000 || names < 1 || names > count || rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1000, --names from 1 to "
                    + "--count, --rounds at least 1");
        }
        NameSortCosts.run(count, names, rounds, out);
        return 0;
    }

    /**
     * Reads and renders pages of 25 generated actions from a journal, as a Tutum list does: each page 25 neighbours
     * at a random place in 20,000 actions, so that repeated values are numbered as in a real journal.
     */
    static void render(int pages, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("actionlog-render");
        try (Journal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            int count = 20_000;
            SyntheticActions generated = new SyntheticActions(1, count, 1_767_225_600_000_000L);
            List<Row> all = new java.util.ArrayList<>();
            List<Entry> batch = new java.util.ArrayList<>();
            for (int id = 1; generated.hasNext(); id++) {
                Entry.Created c = io.actionlog.store.Entries.created(id, generated.next());
                batch.add(c);
                all.add(new Row(id - 1, id - 1, id - 1, c.state(), c.endDate()));
                if (batch.size() == 1000 || !generated.hasNext()) {
                    journal.append(batch);
                    batch.clear();
                }
            }
            ActionReader reader = new ActionReader(journal);
            java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            double[] nsPerRow = new double[10];
            long bytes = 0;
            for (int round = 0; round < nsPerRow.length; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < pages; i++) {
                    int from = random.nextInt(count - 25);
                    List<Row> page = all.subList(from, from + 25);
                    bytes += ListRendering.page(reader, page);
                }
                nsPerRow[round] = (System.nanoTime() - t0) / (double) pages / 25;
            }
            java.util.Arrays.sort(nsPerRow);
            out.printf(Locale.ROOT, "render_bytes_per_page=%d%n", bytes / pages / nsPerRow.length);
            out.printf(Locale.ROOT, "render_ns_per_row_median=%.0f%n", nsPerRow[nsPerRow.length / 2]);
            out.printf(Locale.ROOT, "render_ns_per_row_best=%.0f%n", nsPerRow[0]);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void replay(Path dataDir, PrintStream out) throws IOException {
        long baseline = heapUsedAfterGc();
        long t0 = System.nanoTime();
        try (DataDir claimed = DataDir.claim(dataDir);
             Journal journal = ChronicleJournal.open(dataDir.resolve("journal"), Durability.PROCESS)) {
            long t1 = System.nanoTime();
            ActionIndex index = new ActionIndex();
            long entries = index.replay(consumer -> journal.replay(0, consumer)); // as Server does at start
            long t2 = System.nanoTime();
            long loaded = heapUsedAfterGc();
            int actions = index.size();
            double replaySeconds = (t2 - t1) / 1e9;
            figure(out, "actions", actions);
            figure(out, "entries", entries);
            figure(out, "open_ms", (t1 - t0) / 1e6);
            figure(out, "replay_ms", replaySeconds * 1e3);
            figure(out, "ready_ms", (t2 - t0) / 1e6);
            figure(out, "replay_entries_per_s", entries / replaySeconds);
            figure(out, "replay_actions_per_s", actions / replaySeconds);
            figure(out, "heap_baseline_bytes", baseline);
            figure(out, "heap_loaded_bytes", loaded);
            figure(out, "heap_bytes_per_action", (loaded - baseline) / (double) Math.max(1, actions));
            figure(out, "index_estimate_bytes_per_action", index.stats().heapBytes() / (double) Math.max(1, actions));
            figure(out, "journal_disk_bytes", journal.diskBytes());
            figure(out, "journal_disk_bytes_per_action", journal.diskBytes() / (double) Math.max(1, actions));
            // Keeps the index reachable until after the measurement above.
            if (index.size() != actions) {
                throw new IllegalStateException("index changed while measured");
            }
        }
    }

    /** Heap in use once repeated full collections stop freeing anything (within 1 MiB). */
    static long heapUsedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - now) < (1 << 20)) {
                return now;
            }
            used = now;
        }
        return used;
    }

    static void bulk(Path ndjson, Path dataDir, PrintStream out) throws Exception {
        Map<String, String> values = new HashMap<>(Config.DEFAULTS);
        values.put("http.host", "127.0.0.1");
        values.put("http.port", "0");
        values.put("data.dir", dataDir.toString());
        values.put("auth.admin_key", BENCH_KEY);
        values.values().removeIf(v -> v == null);
        try (Server server = Server.start(Config.of(values))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/api/v1/action/bulk/"))
                    .header("Authorization", "Token " + BENCH_KEY)
                    .header("Content-Type", "application/x-ndjson")
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofFile(ndjson))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String body = reply.body();
            long accepted = number(body, "accepted");
            figure(out, "bulk_status", reply.statusCode());
            figure(out, "bulk_bytes", Files.size(ndjson));
            figure(out, "bulk_accepted", accepted);
            figure(out, "bulk_rejected", number(body, "rejected"));
            figure(out, "bulk_seconds", seconds);
            figure(out, "bulk_actions_per_s", accepted / seconds);
        }
    }

    private static long number(String json, String key) {
        var m = java.util.regex.Pattern.compile("\"" + key + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void figure(PrintStream out, String key, double value) {
        out.println(key + "=" + (value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value)));
    }
}
