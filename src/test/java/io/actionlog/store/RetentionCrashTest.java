package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import io.actionlog.support.ForkedServer;
import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 inside a retention run, at each of its steps (after the expiry entries, after the carried copies, after
 * the drop entry is synced, after the new start is recorded and before any file goes): the server starts again,
 * no live action is lost or changed, and the next run finishes what the killed one began.
 */
class RetentionCrashTest {
    private static final List<String> STEPS = List.of("expired", "carried", "recorded", "head");

    @TempDir
    Path dir;

    @Test
    void killDashNineAtEachStepOfARunLosesNoLiveActionAndTheJournalStarts() throws Exception {
        Path original = dir.resolve("original");
        RetentionScenario s = RetentionScenario.start(original, Map.of("retention.days", "0"));
        String running;
        String recent;
        String fresh;
        Map<String, String> keys;
        try (TestServer server = s.server) {
            running = s.faces(s.running);
            recent = s.faces(s.recent);
            fresh = s.faces(s.fresh);
            keys = Map.of("ann", s.server.key("ann"), "bob", s.server.key("bob"));
        }
        for (String step : STEPS) {
            copy(original, dir.resolve(step));
        }
        // The servers that are killed run side by side: a JVM's start is most of each one's time.
        ExecutorService starts = Executors.newFixedThreadPool(STEPS.size());
        try {
            List<CompletableFuture<Void>> killed = STEPS.stream()
                    .map(step -> CompletableFuture.runAsync(() -> killAt(step, dir.resolve(step)), starts)).toList();
            killed.forEach(CompletableFuture::join);
        } finally {
            starts.shutdownNow();
        }
        for (String step : STEPS) {
            Path data = dir.resolve(step);
            try (TestServer server = TestServer.start(data, Map.of("retention.days", "30"))) {
                keys.forEach(server::know);
                JsonObject report = server.admin().post("/api/v1/admin/retention/", new JsonObject()).json();
                assertTrue(report.getLong("journal_start") > 0, step + ": " + report.encode());
                s.server = server;
                assertEquals(running, s.faces(s.running), step);
                assertEquals(recent, s.faces(s.recent), step);
                assertEquals(fresh, s.faces(s.fresh), step);
                assertEquals(3, RetentionTest.total(server.admin(), "/api/v1/action/"), step);
                assertEquals(404, server.admin().get("/api/v1/action/" + s.oldUuids.get(0) + "/").status(), step);
            }
            Cli verify = Cli.run("verify", "--data-dir", data.toString());
            assertEquals(0, verify.code(), step + ": " + verify.err());
        }
    }

    /** Starts a server on {@code data} whose retention run stops at {@code step}, and kills it there. */
    private static void killAt(String step, Path data) {
        // C1 only: these processes live for a second of work, and the machine's cores are shared by four of them.
        List<String> jvm = List.of("-Dactionlog.retention.pause_at=" + step, "-XX:TieredStopAtLevel=1");
        try (ForkedServer fork = ForkedServer.start(data, TestServer.ADMIN_KEY, Map.of("retention.days", "30"), jvm)) {
            awaitOutput(fork, "retention paused at step " + step);
            fork.kill();
        } catch (Exception e) {
            throw new IllegalStateException("the server stopped at step " + step + " did not run as planned", e);
        }
    }

    /** Polls the server's output until the line shows, for at most 60 s. */
    private static void awaitOutput(ForkedServer fork, String line) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!fork.output().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + line + "' within 60 s:\n" + fork.output());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else if (!p.getFileName().toString().endsWith(".lock")) {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
