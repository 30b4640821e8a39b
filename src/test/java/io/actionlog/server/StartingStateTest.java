package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import io.actionlog.support.ForkedServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on a journal that takes a while to replay: the port answers from the line that says it is open,
 * 503 STARTING with the replay's progress, then UP once the log says it listens.
 */
class StartingStateTest {
    private static final Pattern OPEN = Pattern.compile("port [^ ]+:(\\d+) open");

    @TempDir
    Path dir;

    @Test
    void healthSaysStartingWhileTheJournalReplaysThenUp() throws Exception {
        Process p = startOn(100_000);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            int port = -1;
            StringBuilder seen = new StringBuilder();
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = OPEN.matcher(line);
                port = m.find() ? Integer.parseInt(m.group(1)) : -1;
                assertTrue(!line.contains("listening on"), "listening before the port was said open:\n" + seen);
            }
            assertTrue(port > 0, seen.toString());
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> health = get(client, port, "/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"STARTING\""), health.body());
            assertTrue(health.body().contains("\"of\":100000"), health.body());
            HttpResponse<String> list = get(client, port, "/api/v1/action/");
            // The replay may have ended between the two requests; if not, the refusal says when to come back.
            if (list.statusCode() == 503) {
                assertEquals("2", list.headers().firstValue("Retry-After").orElse(""));
            }
            for (String line; (line = out.readLine()) != null && !line.contains("listening on"); ) {
                seen.append(line).append('\n');
            }
            assertEquals(200, get(client, port, "/health").statusCode(), seen.toString());
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGTERM while the journal replays ends the start, and the log says so before the process exits. */
    @Test
    void aStopDuringTheReplayIsLoggedAsOne() throws Exception {
        // Long enough a replay (about a second here) that the signal sent at the port-open line lands inside it.
        Process p = startOn(800_000);
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (OPEN.matcher(line).find()) {
                    p.toHandle().destroy(); // SIGTERM; Process.destroy would also close the output read here
                }
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), seen.toString());
        assertTrue(!seen.toString().contains("listening on"), "the replay ended before the stop:\n" + seen);
        assertTrue(seen.toString().contains("stopping before the start finished"), seen.toString());
    }

    /**
     * A server started on a journal of {@code actions} generated actions, its output and errors in one stream. A
     * server that never says its port is open, or never listens, would hold a test's reads for good: it is killed
     * after two minutes, which ends them, and the test fails on what it printed.
     */
    private Process startOn(int actions) throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Cli.run("generate", "--count", Integer.toString(actions), "--data-dir", data.toString(),
                "--create").code());
        Process p = new ProcessBuilder(ForkedServer.javaCommand(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", data.toString(), "auth.admin_key", "starting-state-key-0123456789abcdef")))
                .redirectErrorStream(true).start();
        CompletableFuture.runAsync(p::destroyForcibly, CompletableFuture.delayedExecutor(2, TimeUnit.MINUTES));
        return p;
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
