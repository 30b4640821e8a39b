package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The detail's logs panel following a running action: drops, resumes, the end, its bound, in a real browser. */
class ViewerLogsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Browser browser;
    static ViewerPage page;
    static Client admin;
    private Object script;

    /**
     * Installed in the page before the viewer's scripts: {@code window.cut(frame, code)} ends the newest WebSocket
     * as a network or the server would, the viewer seeing {@code frame} (if any) and then a close with {@code code},
     * and holds every WebSocket asked for afterwards in {@code window.held} until {@code window.release()} opens them.
     */
    private static final String CUTTABLE_SOCKETS = "(() => { const Real = window.WebSocket;"
            + " window.sockets = []; window.held = null;"
            + " window.WebSocket = function (url) {"
            + "   if (window.held) { const f = { url, readyState: 0, close() {} }; window.held.push(f); return f; }"
            + "   const s = new Real(url); window.sockets.push(s); return s; };"
            + " Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });"
            + " window.cut = (frame, code) => { window.held = []; const s = window.sockets[window.sockets.length - 1];"
            + "   const onmessage = s.onmessage; const onclose = s.onclose; s.onmessage = null; s.onclose = null;"
            + "   s.close(); if (frame) onmessage({ data: frame }); onclose({ code }); };"
            + " window.release = () => { const waiting = window.held; window.held = null;"
            + "   for (const f of waiting) { const s = new Real(f.url); window.sockets.push(s);"
            + "     for (const h of ['onopen', 'onmessage', 'onclose']) s[h] = (e) => (f[h] ? f[h](e) : null);"
            + "     f.close = () => s.close(); } };"
            + "})();";

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        server = TestServer.start(dir);
        admin = server.admin();
        page = new ViewerPage(browser, server.port());
    }

    @AfterAll
    static void stop() {
        ViewerPage.close(browser, server);
    }

    @BeforeEach
    void cuttable() {
        script = ((ChromeDriver) browser.driver()).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", CUTTABLE_SOCKETS)).get("identifier");
    }

    @AfterEach
    void plain() {
        ((ChromeDriver) browser.driver()).executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument",
                Map.of("identifier", script));
    }

    private String following(String logs) {
        String uuid = admin.record(new JsonObject().put("action", "Long Job").put("state", "In progress")
                .put("logs", logs)).getString("uuid");
        page.signInAndList(null, TestServer.ADMIN_KEY);
        browser.open(page.base() + "/?open=" + uuid);
        browser.until(d -> logsText().equals(logs) && "(following live)".equals(logsStatus()));
        return uuid;
    }

    private static String logsText() {
        return (String) browser.script("return document.getElementById('logs').textContent");
    }

    private static String logsState() {
        return browser.find(By.id("logs-status")).getAttribute("data-logs");
    }

    private static String logsStatus() {
        return browser.find(By.id("logs-status")).getText();
    }

    /**
     * Cuts the socket as {@code frame} and {@code code} say, appends lines while the viewer is away, and checks
     * that the panel said {@code saying}, then resumed with every line once, repeated lines included.
     */
    private void resumesAfter(String frame, int code, String saying) {
        String uuid = following("tick\ntick\ntock\n");
        browser.script("window.cut(arguments[0], arguments[1])", frame, code);
        browser.until(d -> "resuming".equals(logsState()));
        assertTrue(logsStatus().contains(saying), logsStatus());
        admin.postText("/api/v1/action/" + uuid + "/logs/", "tick\ntock\n");
        browser.until(d -> Long.valueOf(1).equals(browser.script("return window.held.length")));
        browser.script("window.release()");
        browser.until(d -> logsText().endsWith("tick\ntick\ntock\ntick\ntock\n") && "following".equals(logsState()));
        admin.postText("/api/v1/action/" + uuid + "/logs/", "after\n");
        browser.until(d -> logsText().endsWith("after\n"));
        assertEquals("tick\ntick\ntock\ntick\ntock\nafter\n", logsText());
        assertEquals(200, admin.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success"))
                .status());
        browser.until(d -> "finished".equals(logsState()));
        assertEquals("(finished)", logsStatus());
        assertEquals("tick\ntick\ntock\ntick\ntock\nafter\n", logsText());
    }

    @Test
    void aDroppedLogsSocketSaysTheConnectionWasLostAndResumesWithEveryLineOnce() {
        resumesAfter(null, 1006, "connection lost");
    }

    @Test
    void aSlowConsumerCutOffSaysThePageFellBehindAndResumesWithEveryLineOnce() {
        resumesAfter("{\"type\":\"error\",\"data\":{\"errorMessage\":\"SLOW_CONSUMER\"}}", 1013, "fell behind");
    }

    /**
     * A resume whose tail was cut by stream.max_pending_bytes to fewer lines than are matched can never join the
     * lines shown: once the stream has sent its tail, the lines come anyway, after a note, and live lines follow.
     */
    @Test
    void aResumeWhoseTailIsCutBySizeStillShowsTheNewLines() throws Exception {
        try (TestServer small = TestServer.start(dir.resolve("small"), Map.of("stream.max_pending_bytes", "1024"))) {
            ViewerPage smallPage = new ViewerPage(browser, small.port());
            String logs = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("line %02d %s%n", i, "x".repeat(92)))
                    .collect(Collectors.joining());
            String uuid = small.admin().record(new JsonObject().put("action", "Long Job").put("state", "In progress")
                    .put("logs", logs)).getString("uuid");
            smallPage.signInAndList(null, TestServer.ADMIN_KEY);
            browser.open(smallPage.base() + "/?open=" + uuid);
            browser.until(d -> "following".equals(logsState()) && logsText().startsWith("line ")
                    && logsText().endsWith("line 30 " + "x".repeat(92) + "\n"));
            browser.script("window.cut(null, 1006)");
            browser.until(d -> "resuming".equals(logsState()));
            // Longer than the others: the tail that fits in the bound then leaves out some of the lines shown.
            String added = "new line " + "y".repeat(300) + "\n";
            small.admin().postText("/api/v1/action/" + uuid + "/logs/", added);
            browser.until(d -> Long.valueOf(1).equals(browser.script("return window.held.length")));
            browser.script("window.release()");
            browser.until(d -> logsText().endsWith(added) && "following".equals(logsState()));
            assertTrue(logsText().contains("[resumed here:"), logsText());
            small.admin().postText("/api/v1/action/" + uuid + "/logs/", "live again\n");
            browser.until(d -> logsText().endsWith(added + "live again\n"));
        }
    }

    /**
     * Going from a followed action whose older lines were trimmed to one that cannot be shown leaves nothing of the
     * first: no trimmed note, no download of its logs offered under the other's title.
     */
    @Test
    void anActionThatCannotBeShownKeepsNothingOfTheLogsPanelBefore() {
        following("");
        String all = IntStream.rangeClosed(1, 5010).mapToObj(i -> String.format("line %05d%n", i))
                .collect(Collectors.joining());
        String uuid = (String) browser.script("return new URLSearchParams(location.search).get('open')");
        admin.postText("/api/v1/action/" + uuid + "/logs/", all);
        browser.until(d -> logsText().endsWith("line 05010\n"));
        assertTrue(browser.find(By.id("logs-trimmed")).isDisplayed());
        browser.script("history.pushState(null, '', '/?open=' + arguments[0]);"
                + " window.dispatchEvent(new PopStateEvent('popstate'))", java.util.UUID.randomUUID().toString());
        browser.until(d -> "No such action".equals(browser.find(By.id("detail-title")).getText()));
        assertEquals("", logsText());
        assertTrue(!browser.find(By.id("logs-trimmed")).isDisplayed(), "the trimmed note of the action before");
        assertTrue(!browser.find(By.id("logs-download")).isDisplayed(), "a download of the action before's logs");
    }

    /**
     * A resume that cannot join the lines shown, of an action that logs more often than the quiet second the viewer
     * waits for: its lines still come within a few seconds, not after 10,000 of them.
     */
    @Test
    void aResumeThatCannotJoinShowsTheLinesOfAnActionThatKeepsLogging() throws Exception {
        try (TestServer small = TestServer.start(dir.resolve("steady"), Map.of("stream.max_pending_bytes", "1024"))) {
            ViewerPage smallPage = new ViewerPage(browser, small.port());
            String logs = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("line %02d %s%n", i, "x".repeat(92)))
                    .collect(Collectors.joining());
            String uuid = small.admin().record(new JsonObject().put("action", "Long Job").put("state", "In progress")
                    .put("logs", logs)).getString("uuid");
            smallPage.signInAndList(null, TestServer.ADMIN_KEY);
            browser.open(smallPage.base() + "/?open=" + uuid);
            browser.until(d -> "following".equals(logsState()) && logsText().endsWith("line 30 " + "x".repeat(92) + "\n"));
            browser.script("window.cut(null, 1006)");
            browser.until(d -> "resuming".equals(logsState()));
            // Longer than the others: the tail that fits in the bound then leaves out some of the lines shown.
            small.admin().postText("/api/v1/action/" + uuid + "/logs/", "new line " + "y".repeat(300) + "\n");
            browser.until(d -> Long.valueOf(1).equals(browser.script("return window.held.length")));
            browser.script("window.release()");
            // A line every 200 ms, as a busy job logs: the stream never goes quiet for a second.
            AtomicInteger n = new AtomicInteger();
            ScheduledExecutorService job = Executors.newSingleThreadScheduledExecutor();
            job.scheduleAtFixedRate(() -> small.admin().postText("/api/v1/action/" + uuid + "/logs/",
                    String.format("steady %02d %s%n", n.getAndIncrement(), "y".repeat(200))), 0, 200,
                    TimeUnit.MILLISECONDS);
            try {
                browser.until(d -> "following".equals(logsState()));
            } finally {
                job.shutdownNow();
                assertTrue(job.awaitTermination(10, TimeUnit.SECONDS));
            }
            String last = "steady last\n";
            small.admin().postText("/api/v1/action/" + uuid + "/logs/", last);
            browser.until(d -> logsText().endsWith(last));
        }
    }

    @Test
    void aRefusedLogsStreamSaysWhyAndStops() {
        following("one\n");
        browser.script("window.cut(arguments[0], 1008)", "{\"type\":\"error\",\"data\":{\"errorMessage\":\"NOT_FOUND\"}}");
        browser.until(d -> "stopped".equals(logsState()));
        assertEquals("(stopped: NOT_FOUND)", logsStatus());
    }

    @Test
    void aLongFollowKeepsTheNewestLinesAndOffersAllLogsAsADownload() throws Exception {
        String uuid = following("");
        String all = IntStream.rangeClosed(1, 5100).mapToObj(i -> String.format("line %05d%n", i))
                .collect(Collectors.joining());
        admin.postText("/api/v1/action/" + uuid + "/logs/", all);
        browser.until(d -> logsText().endsWith("line 05100\n"));
        String kept = logsText();
        assertEquals(5000, kept.lines().count());
        assertTrue(kept.startsWith("line 00101\n"), kept.substring(0, 20));
        assertTrue(browser.find(By.id("logs-trimmed")).isDisplayed());
        browser.find(By.id("logs-download")).click();
        Path saved = browser.downloads().resolve("logs-" + uuid + ".txt");
        String downloaded = browser.until(d -> {
            try {
                String text = Files.exists(saved) ? Files.readString(saved) : "";
                return text.equals(all) ? text : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        assertEquals(5100, downloaded.lines().count());
    }
}
