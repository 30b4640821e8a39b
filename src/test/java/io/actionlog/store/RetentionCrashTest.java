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
            Path data = dir.resolve(step);
            copy(original, data);
            try (ForkedServer fork = ForkedServer.start(data, TestServer.ADMIN_KEY, Map.of("retention.days", "30"),
                    List.of("-Dactionlog.retention.pause_at=" + step))) {
                awaitOutput(fork, "retention paused at step " + step);
                fork.kill();
            }
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
