package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** The list's live mode against actions recorded around its own loading, in a real browser. */
class ViewerLiveTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Browser browser;
    static ViewerPage page;
    static Client admin;

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

    /** The list's first page (not the sign-in's check, not live mode's own queries), held once answered. */
    private static final String HOLD_FIRST_LIST = ViewerPage.holdFirstAnswer(
            "u.includes('/api/v1/action/?') && u.includes('limit=25')", "");

    /**
     * The events stream follows from its own start, which comes after the list's answer: an action recorded in
     * between is shown all the same, once, and counted once.
     */
    @Test
    void anActionRecordedBetweenTheListsAnswerAndTheEventsStreamIsShownOnce() {
        String before = admin.record(new JsonObject().put("action", "Listed Before")).getString("uuid");
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", HOLD_FIRST_LIST)).get("identifier");
        try {
            page.signIn(null, TestServer.ADMIN_KEY);
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.firstAnswered === true")));
            int listed = admin.get("/api/v1/action/?limit=1").json().getJsonObject("meta").getInteger("total_count");
            String between = admin.record(new JsonObject().put("action", "Recorded In Between")).getString("uuid");
            browser.script("window.release()");
            browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
            List<String> rows = page.rowsWithTotal(listed + 1);
            assertEquals(between, rows.get(0));
            assertEquals(1, rows.stream().filter(between::equals).count(), rows.toString());
            assertEquals(1, rows.stream().filter(before::equals).count(), rows.toString());
            String after = admin.record(new JsonObject().put("action", "Recorded Live")).getString("uuid");
            browser.until(d -> page.uuids().indexOf(after) == 0);
            assertEquals(List.of(after, between, before), page.rowsWithTotal(listed + 2).subList(0, 3));
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    /** A list left following keeps at most 500 rows: the newest on top, the oldest gone, every one still counted. */
    @Test
    void liveRowsPastTheListsBoundLetTheOldestGo() {
        String oldest = admin.record(new JsonObject().put("action", "Oldest Listed")).getString("uuid");
        page.signInAndList(null, TestServer.ADMIN_KEY);
        int before = page.total();
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 520; i++) {
            lines.append(new JsonObject().put("action", "Arrival " + i).encode()).append('\n');
        }
        assertEquals(200, admin.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                "application/x-ndjson").status());
        String newest = admin.get("/api/v1/action/?limit=1").json().getJsonArray("objects").getJsonObject(0)
                .getString("uuid");
        List<String> rows = page.rowsWithTotal(before + 520);
        assertEquals(500, rows.size());
        assertEquals(newest, rows.get(0));
        assertFalse(rows.contains(oldest), "the oldest row stays");
    }
}
