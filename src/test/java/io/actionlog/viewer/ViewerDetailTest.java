package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The viewer's detail, live logs, live list and its handling of hostile recorded values, in a real browser. */
class ViewerDetailTest {
    /** Markup and script in every shape a recorded value could carry them; each would set window.pwned if run. */
    static final String PAYLOAD = "<img src=x onerror=\"window.pwned=1\"></script><script>window.pwned=2</script>"
            + "<a href=\"javascript:window.pwned=3\">x</a>";

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

    private void open(String uuid) {
        browser.open(page.base() + "/?open=" + uuid);
        browser.find(By.cssSelector("[data-field=uuid]"));
    }

    @Test
    void openingAnActionShowsEveryFieldWithLinksToItsParentsAndTheActionItRetries() {
        JsonObject first = admin.record(new JsonObject().put("action", "Service Redeploy").put("state", "Failed")
                .put("user", "dora").put("method", "POST").put("path", "/api/v1/service/42/redeploy/")
                .put("object", "/api/v1/service/42/").put("parents", new JsonArray().add("/api/v1/stack/7/"))
                .put("ip", "10.1.2.3").put("location", "Berlin").put("user_agent", "curl/8")
                .put("body", new JsonObject().put("force", true)).put("error", "boom")
                .put("metadata", new JsonObject().put("attempt", 1)).put("logs", "first line\n"));
        JsonObject retry = admin.post("/api/v1/action/" + first.getString("uuid") + "/retry/", new JsonObject()).json();
        page.signInAndList(null, TestServer.ADMIN_KEY);
        browser.find(By.cssSelector("tr[data-uuid='" + retry.getString("uuid") + "'] a")).click();
        browser.find(By.cssSelector("[data-field=uuid]"));
        JsonObject shown = admin.get("/api/v1/action/" + retry.getString("uuid") + "/").json();
        for (String key : shown.fieldNames()) {
            if (!key.equals("logs") && !key.equals("logs_truncated")) {
                assertEquals(1, browser.driver().findElements(By.cssSelector("[data-field=" + key + "]")).size(), key);
            }
        }
        WebElement body = browser.find(By.cssSelector("[data-field=body] pre"));
        assertEquals("{\n  \"force\": true\n}", body.getText());
        browser.find(By.cssSelector("[data-field=parents] a"));
        browser.find(By.cssSelector("[data-field=retry_of] a")).click();
        browser.until(d -> d.findElement(By.cssSelector("[data-field=uuid] dd")).getText()
                .equals(first.getString("uuid")));
        assertEquals("{\n  \"attempt\": 1\n}", browser.find(By.cssSelector("[data-field=metadata] pre")).getText());
        assertTrue(browser.find(By.id("logs")).getText().contains("first line"));
    }

    /** The server keeps numbers exactly as sent; the detail must show them so, not as JavaScript numbers. */
    @Test
    void numbersInBodyAndMetadataAreShownAsRecorded() {
        String numbers = "{\"amount\":12345678901234567890,\"huge\":1e400,\"price\":0.10}";
        JsonObject a = admin.post("/api/v1/action/", new JsonObject().put("action", "Transfer").put("body", numbers))
                .json();
        String uri = "/api/v1/action/" + a.getString("uuid") + "/";
        assertEquals(200, admin.send(io.vertx.core.http.HttpMethod.PATCH, uri,
                "{\"state\":\"Success\",\"metadata\":" + numbers + "}", "application/json").status());
        page.signInAndList(null, TestServer.ADMIN_KEY);
        open(a.getString("uuid"));
        String expected = "{\n  \"amount\": 12345678901234567890,\n  \"huge\": 1e400,\n  \"price\": 0.10\n}";
        assertEquals(expected, browser.find(By.cssSelector("[data-field=body] pre")).getText());
        assertEquals(expected, browser.find(By.cssSelector("[data-field=metadata] pre")).getText());
    }

    @Test
    void aRunningActionsNewLogLinesAppearWithinTwoSeconds() {
        JsonObject running = admin.record(new JsonObject().put("action", "Long Job").put("state", "In progress")
                .put("logs", "started\n"));
        page.signInAndList(null, TestServer.ADMIN_KEY);
        open(running.getString("uuid"));
        WebElement logs = browser.find(By.id("logs"));
        browser.until(d -> logs.getText().contains("started"));
        admin.postText("/api/v1/action/" + running.getString("uuid") + "/logs/", "step two\n");
        browser.until(Duration.ofSeconds(2), d -> logs.getText().contains("step two"));
    }

    /**
     * Installed in the page before the viewer's scripts: the first request for the detail of the action whose uuid is
     * {@code %1$s} is answered only once {@code window.release()} is called; {@code window.firstDone} is set in the
     * task after the viewer has read that answer (every await of the viewer's on it is a microtask, run before). Every
     * WebSocket the page makes is kept in {@code window.sockets}.
     */
    private static final String HOLD_FIRST_DETAIL = ViewerPage.holdFirstAnswer(
            "u.endsWith('/api/v1/action/%1$s/')",
            "  const WebSocket = window.WebSocket; window.sockets = [];"
            + "  window.WebSocket = class extends WebSocket {"
            + "    constructor(...a) { super(...a); window.sockets.push(this); } };");

    /**
     * A detail answered after the user has gone on to another action is dropped: the page shows the other action's
     * fields and logs only, and never opens the first one's logs socket, which would stay open and hold one of the
     * six connections a browser allows to one host. The socket of the detail shown is closed with the list.
     */
    @Test
    void aDetailAnsweredAfterAnotherWasOpenedIsDropped() {
        String first = admin.record(new JsonObject().put("action", "Slow To Answer").put("state", "In progress")
                .put("logs", "first action's line\n")).getString("uuid");
        String second = admin.record(new JsonObject().put("action", "Answered Meanwhile").put("state", "In progress")
                .put("logs", "second action's line\n")).getString("uuid");
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", String.format(HOLD_FIRST_DETAIL, first))).get("identifier");
        try {
            page.signInAndList(null, TestServer.ADMIN_KEY);
            browser.find(By.cssSelector("tr[data-uuid='" + first + "'] a")).click();
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.firstAsked === true")));
            browser.find(By.id("back")).click();
            browser.find(By.cssSelector("tr[data-uuid='" + second + "'] a")).click();
            WebElement logs = browser.find(By.id("logs"));
            browser.until(d -> d.findElement(By.cssSelector("[data-field=uuid] dd")).getText().equals(second)
                    && logs.getText().contains("second action's line"));
            browser.script("window.release()");
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.firstDone === true")));
            assertEquals(second, browser.find(By.cssSelector("[data-field=uuid] dd")).getText());
            assertEquals("Answered Meanwhile", browser.find(By.id("detail-title")).getText());
            assertTrue(logs.getText().contains("second action's line"), logs.getText());
            assertFalse(logs.getText().contains("first action's line"), logs.getText());
            assertEquals(0L, browser.script("return window.sockets.filter((s) => s.url.includes(arguments[0])).length",
                    first), "the dropped detail opened its logs socket");
            assertEquals(1L, openSockets());
            browser.find(By.id("back")).click();
            page.total();
            browser.until(d -> openSockets() == 0L);
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    /** The page's WebSockets connecting or open. */
    private static long openSockets() {
        return (Long) browser.script("return window.sockets.filter((s) => s.readyState <= WebSocket.OPEN).length");
    }

    @Test
    void aPendingActionCanBeCanceledFromItsDetail() {
        JsonObject pending = admin.record(new JsonObject().put("action", "Queued").put("state", "Pending"));
        page.signInAndList(null, TestServer.ADMIN_KEY);
        open(pending.getString("uuid"));
        browser.find(By.xpath("//div[@id='detail-actions']/button[text()='Cancel']")).click();
        browser.until(d -> d.findElement(By.cssSelector("[data-field=state] dd")).getText().equals("Canceling"));
        assertEquals("Canceling", admin.get("/api/v1/action/" + pending.getString("uuid") + "/").json()
                .getString("state"));
        assertTrue(browser.driver().findElements(By.xpath("//div[@id='detail-actions']/button[text()='Cancel']"))
                .isEmpty(), "an action being canceled offers no second cancel");
    }

    @Test
    void aNewActionAppearsAtTheTopInLiveMode() {
        admin.record(new JsonObject().put("action", "Before"));
        page.signInAndList(null, TestServer.ADMIN_KEY);
        int before = page.total();
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        JsonObject fresh = admin.record(new JsonObject().put("action", "Arrived Live"));
        browser.until(d -> fresh.getString("uuid").equals(page.uuids().get(0)));
        page.rowsWithTotal(before + 1);
    }

    /**
     * The list is pinned to the server's clock, and live mode asks for what started since: a browser whose clock is
     * ten minutes ahead must still see a new action arrive.
     */
    @Test
    void aNewActionAppearsLiveWhenThisBrowsersClockIsAhead() {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "{ const now = Date.now; Date.now = () => now() + 600000; }")).get("identifier");
        try {
            page.signInAndList(null, TestServer.ADMIN_KEY);
            browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
            JsonObject fresh = admin.record(new JsonObject().put("action", "Arrived Under A Fast Clock"));
            browser.until(d -> page.uuids().indexOf(fresh.getString("uuid")) == 0);
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    /** Live mode keeps the search's after: when it is later than the list's moment: it never widens a search. */
    @Test
    void liveModeKeepsASearchForLaterActionsNarrow() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("after:2099-01-01");
        page.rowsWithTotal(0);
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        JsonObject now = admin.record(new JsonObject().put("action", "Started Now"));
        JsonObject later = admin.record(new JsonObject().put("action", "Starts Later")
                .put("start_date", "2099-06-01T00:00:00Z"));
        assertEquals(List.of(later.getString("uuid")), page.rowsWithTotal(1), now.getString("uuid") + " is not after:");
    }

    /** Chromium keeps a page it left in its back/forward cache; the page's live stream must not stay open there. */
    @Test
    void leavingTheViewerClosesItsLiveStream() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        browser.until(d -> openEventStreams() >= 1);
        browser.open("about:blank");
        browser.until(d -> openEventStreams() == 0);
    }

    private static double openEventStreams() {
        return MetricsText.value(server.withHeader(null).get("/metrics").body(),
                "actionlog_streams_open{transport=\"sse\"}");
    }

    /**
     * A key removed while the list follows events: the stream's next request is refused, and trying it again every
     * few seconds would only count failures against this address until the server blocks it for everyone there.
     */
    @Test
    void aKeyRefusedByTheLiveStreamSignsOut() throws Exception {
        server.addUser("leaver", Role.USER);
        page.signInAndList("leaver", server.key("leaver"));
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        CredentialStore.open(server.dir(), TestServer.ADMIN_KEY).remove("leaver", false);
        server.reloadCredentials();
        WebElement key = browser.find(By.name("key"));
        browser.until(d -> key.isDisplayed());
        assertTrue(browser.find(By.id("signin-error")).getText().contains("no longer accepted"));
        assertEquals("off", browser.find(By.tagName("body")).getAttribute("data-live"));
        assertEquals(Boolean.TRUE, browser.script("return sessionStorage.length === 0"));
    }

    @Test
    void whileScrolledDownNewActionsAreCounted() {
        for (int i = 0; i < 30; i++) {
            admin.record(new JsonObject().put("action", "Filler " + i));
        }
        page.signInAndList(null, TestServer.ADMIN_KEY);
        browser.until(d -> "connected".equals(d.findElement(By.tagName("body")).getAttribute("data-live")));
        browser.script("window.scrollTo(0, document.body.scrollHeight)");
        browser.until(d -> ((Number) browser.script("return window.scrollY")).doubleValue() > 0);
        JsonObject fresh = admin.record(new JsonObject().put("action", "Arrived Below The Fold"));
        WebElement count = browser.find(By.id("new-count"));
        browser.until(d -> count.isDisplayed() && count.getText().contains("1 new"));
        assertEquals(fresh.getString("uuid"), page.uuids().get(0), "the new action is at the top all the same");
        count.click();
        browser.until(d -> !count.isDisplayed());
    }

    @Test
    void recordedMarkupAndScriptRenderAsInertText() {
        JsonObject hostile = admin.record(new JsonObject().put("action", PAYLOAD).put("user", PAYLOAD)
                .put("path", PAYLOAD).put("object", PAYLOAD).put("parents", new JsonArray().add("javascript:window.pwned=4"))
                .put("location", PAYLOAD).put("user_agent", PAYLOAD).put("body", PAYLOAD).put("error", PAYLOAD)
                .put("metadata", new JsonObject().put("note", PAYLOAD)).put("logs", PAYLOAD).put("state", "Failed"));
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("uuid:" + hostile.getString("uuid").substring(0, 13));
        assertEquals(List.of(hostile.getString("uuid")), page.rowsWithTotal(1));
        WebElement row = browser.find(By.cssSelector("tr[data-uuid]"));
        assertTrue(row.getText().contains("<img src=x"), row.getText());
        row.findElement(By.tagName("a")).click();
        browser.until(d -> d.findElement(By.id("logs")).getText().contains("</script>"));
        assertTrue(browser.find(By.cssSelector("[data-field=path] dd")).getText().contains("<script>window.pwned=2"));
        assertNull(browser.script("return window.pwned === undefined ? null : window.pwned"), "a recorded script ran");
        assertEquals(0L, browser.script("return document.querySelectorAll('img, script:not([src]), iframe').length"));
        assertEquals(0L, browser.script(
                "return [...document.querySelectorAll('a')].filter(a => !a.href.startsWith(location.origin)).length"),
                "every link stays inside the viewer");
    }
}
