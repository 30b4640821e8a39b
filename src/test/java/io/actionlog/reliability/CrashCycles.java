package io.actionlog.reliability;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.Http;
import io.actionlog.support.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kill -9 under concurrent writes, over and over. Writers record actions and move them through states, noting for
 * each action its last acknowledged state and the move in flight, if any. After each kill: the journal is replayed
 * offline ({@code actionlog verify}), the server restarts, and every acknowledged action must be there in its last
 * acknowledged state (or the one in flight), the list's total must equal the journal's count of created actions,
 * and the server must take writes again. Used by {@code AbruptStopTest} (a few cycles) and by
 * {@code scripts/crash-test.sh} (many, against the shaded jar): {@code main} prints
 * {@code cycles N, acknowledged N, lost N} and exits 1 when anything is lost or wrong.
 */
public final class CrashCycles {
    private static final String KEY = TestServer.ADMIN_KEY;
    private static final Pattern STATE = Pattern.compile("\"state\":\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("\"total_count\":(\\d+)");
    private static final Pattern CREATED = Pattern.compile("(?m)^created (\\d+)$");

    /** One action as its writer knows it: acknowledged state (null until the POST is acknowledged) and the one in flight. */
    private static final class Known {
        volatile String acked;
        volatile String inFlight;
    }

    public record Result(int cycles, long acknowledged, long lost, List<String> problems) {
        public String summary() {
            return "cycles " + cycles + ", acknowledged " + acknowledged + ", lost " + lost;
        }
    }

    private final Path dataDir;
    private final int writers;
    private java.io.PrintStream progress = null;
    private final Random random;
    private final Map<String, Known> actions = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long lost;

    public CrashCycles(Path dataDir, int writers, long seed) {
        this.dataDir = dataDir;
        this.writers = writers;
        this.random = new Random(seed);
    }

    public Result run(int cycles) throws Exception {
        for (int cycle = 0; cycle < cycles; cycle++) {
            ForkedServer server = ForkedServer.start(dataDir, KEY);
            if (cycle > 0) {
                check(new Http(server.port()), cycle);
            }
            load(server, 50 + random.nextInt(250));
            expectedTotal = verifyOffline();
            if (progress != null) {
                progress.println("cycle " + (cycle + 1) + ": killed; journal holds " + expectedTotal + " actions, "
                        + lost + " lost so far");
            }
        }
        try (ForkedServer server = ForkedServer.start(dataDir, KEY)) {
            Http http = new Http(server.port());
            check(http, cycles);
            HttpResponse<String> after = http.post("/api/v1/action/", "{\"action\":\"after the crashes\"}");
            if (after.statusCode() != 201) {
                problems.add("a write after the last restart answered " + after.statusCode());
            }
        }
        long acknowledged = actions.values().stream().filter(k -> k.acked != null).count();
        return new Result(cycles, acknowledged, lost, problems);
    }

    private long expectedTotal = -1;

    /**
     * Writers run until {@code writes} of their requests are acknowledged, then the server is killed with SIGKILL
     * under them (counting writes rather than time makes the cut land after as much work on a slow machine).
     */
    private void load(ForkedServer server, int writes) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch acknowledged = new CountDownLatch(writes);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        for (int w = 0; w < writers; w++) {
            long seed = random.nextLong();
            pool.submit(() -> write(new Http(server.port()), running, acknowledged, new Random(seed)));
        }
        boolean reached = acknowledged.await(120, TimeUnit.SECONDS);
        server.kill();
        if (!reached) {
            problems.add("only " + (writes - acknowledged.getCount()) + " of " + writes
                    + " writes were acknowledged within 120 s");
        }
        running.set(false);
        pool.shutdown();
        if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("writers did not stop");
        }
    }

    /** One writer: new actions, and moves of its own earlier ones, so no two writers touch one action. */
    private void write(Http http, AtomicBoolean running, CountDownLatch acknowledged, Random r) {
        List<String> mine = new ArrayList<>();
        while (running.get()) {
            try {
                String uuid = mine.isEmpty() || r.nextInt(3) == 0 ? null : mine.get(r.nextInt(mine.size()));
                Known k = uuid == null ? null : actions.get(uuid);
                String next = k == null ? null : next(k.acked, r);
                if (next == null) {
                    uuid = UUID.randomUUID().toString();
                    Known fresh = new Known();
                    fresh.inFlight = "Pending";
                    actions.put(uuid, fresh);
                    mine.add(uuid);
                    if (http.post("/api/v1/action/", "{\"action\":\"crash\",\"uuid\":\"" + uuid + "\"}")
                            .statusCode() == 201) {
                        fresh.acked = "Pending";
                        fresh.inFlight = null;
                        acknowledged.countDown();
                    }
                } else {
                    k.inFlight = next;
                    if (http.send("PATCH", "/api/v1/action/" + uuid + "/", "{\"state\":\"" + next + "\"}")
                            .statusCode() == 200) {
                        k.acked = next;
                        k.inFlight = null;
                        acknowledged.countDown();
                    }
                }
            } catch (IOException e) {
                return;
            } catch (Exception e) {
                return;
            }
        }
    }

    private static String next(String state, Random r) {
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "Pending" -> r.nextBoolean() ? "In progress" : "Canceled";
            case "In progress" -> r.nextBoolean() ? "Success" : "Failed";
            default -> null;
        };
    }

    private long verifyOffline() throws Exception {
        ForkedServer.Exit exit = ForkedServer.run(dataDir, KEY, "verify");
        if (exit.code() == 1 && exit.output().contains("a write torn by a crash")) {
            // The kill landed inside a write: verify names the torn tail and leaves it, as it must; a start cuts it.
            // Started and stopped once, the journal must then verify whole.
            ForkedServer.start(dataDir, KEY).terminate();
            exit = ForkedServer.run(dataDir, KEY, "verify");
        }
        Matcher m = CREATED.matcher(exit.output());
        if (exit.code() != 0 || !m.find()) {
            problems.add("verify failed (" + exit.code() + "): " + exit.output());
            return -1;
        }
        return Long.parseLong(m.group(1));
    }

    /** Every acknowledged action in its last acknowledged state (or the move in flight); totals match the journal. */
    private void check(Http http, int cycle) throws Exception {
        for (Map.Entry<String, Known> e : actions.entrySet()) {
            Known k = e.getValue();
            HttpResponse<String> r = http.get("/api/v1/action/" + e.getKey() + "/");
            if (r.statusCode() == 404 && k.acked == null) {
                actions.remove(e.getKey());
                continue;
            }
            Matcher m = STATE.matcher(r.body());
            String state = r.statusCode() == 200 && m.find() ? m.group(1) : null;
            if (state == null || !(state.equals(k.acked) || state.equals(k.inFlight))) {
                lost++;
                problems.add("cycle " + cycle + ": " + e.getKey() + " acknowledged " + k.acked + ", in flight "
                        + k.inFlight + ", found " + (state != null ? state : r.statusCode()));
                continue;
            }
            k.acked = state;
            k.inFlight = null;
        }
        Matcher total = TOTAL.matcher(http.get("/api/v1/action/?limit=1").body());
        long listed = total.find() ? Long.parseLong(total.group(1)) : -1;
        if (listed != expectedTotal || listed != actions.size()) {
            problems.add("cycle " + cycle + ": list total " + listed + ", journal's created " + expectedTotal
                    + ", actions known to the writers " + actions.size());
        }
    }

    public static void main(String[] args) throws Exception {
        int cycles = 20;
        int writers = 4;
        long seed = System.nanoTime();
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cycles" -> cycles = Integer.parseInt(args[i + 1]);
                case "--writers" -> writers = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path data = (dir != null ? dir : Files.createTempDirectory("crash")).resolve("data");
        System.out.println("crash test: " + cycles + " cycles, " + writers + " writers, seed " + seed + ", data " + data);
        CrashCycles crash = new CrashCycles(data, writers, seed);
        crash.progress = System.out;
        Result result = crash.run(cycles);
        result.problems().stream().limit(50).forEach(p -> System.out.println("problem: " + p));
        System.out.println(result.summary());
        System.exit(result.lost() == 0 && result.problems().isEmpty() ? 0 : 1);
    }
}
