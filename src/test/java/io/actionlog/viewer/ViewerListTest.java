package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** The viewer's sign-in, list, search and chart in a real browser, against the real server. */
class ViewerListTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Browser browser;
    static ViewerPage page;
    static Client admin;
    static final Set<String> alices = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        server = TestServer.start(dir);
        admin = server.admin();
        server.addUser("alice", Role.USER);
        String[] states = {"Success", "Failed", "Success", "In progress"};
        for (int i = 0; i < 40; i++) {
            String user = i % 8 == 0 ? "alice" : i % 2 == 0 ? "bob" : "carol";
            JsonObject a = admin.record(new JsonObject().put("user", user).put("action", i % 3 == 0 ? "Deploy" : "Build")
                    .put("state", states[i % 4]).put("object", "/api/v1/service/" + (i % 5) + "/")
                    .put("ip", "10.0.0." + (i % 7)).put("start_date", String.format("2026-03-0%dT%02d:00:00Z", 1 + i % 3, i % 24)));
            if (user.equals("alice")) {
                alices.add(a.getString("uuid"));
            }
        }
        page = new ViewerPage(browser, server.port());
    }

    @AfterAll
    static void stop() {
        ViewerPage.close(browser, server);
    }

    private static JsonObject list(String query) {
        return admin.get("/api/v1/action/?" + query).json();
    }

    private static List<String> uuids(JsonArray objects) {
        List<String> out = new ArrayList<>();
        objects.forEach(o -> out.add(((JsonObject) o).getString("uuid")));
        return out;
    }

    @Test
    void aBadKeyGetsAMessageAndNoList() {
        page.signIn(null, "not-a-key-of-this-server-0123456789");
        WebElement error = browser.find(By.id("signin-error"));
        browser.until(d -> error.getText().contains("not accepted"));
        assertFalse(browser.find(By.id("browse")).isDisplayed());
        assertTrue(page.uuids().isEmpty());
        assertEquals(Boolean.TRUE, browser.script("return sessionStorage.length === 0"), "a refused key is not kept");
    }

    @Test
    void signingOutForgetsTheKey() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        assertTrue(((String) browser.script("return JSON.stringify(sessionStorage)")).contains(TestServer.ADMIN_KEY));
        assertEquals(Boolean.FALSE, browser.script("return document.cookie.includes('" + TestServer.ADMIN_KEY + "')"));
        browser.find(By.id("signout")).click();
        browser.until(d -> d.findElement(By.name("key")).isDisplayed());
        assertEquals(Boolean.TRUE, browser.script("return sessionStorage.length === 0"));
        browser.driver().navigate().refresh();
        assertTrue(browser.find(By.name("key")).isDisplayed());
        assertTrue(page.uuids().isEmpty());
    }

    @Test
    void aGoodKeyShowsTheExactTotalAndTheNewestRows() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        JsonObject expected = list("limit=25");
        int total = expected.getJsonObject("meta").getInteger("total_count");
        assertEquals(uuids(expected.getJsonArray("objects")), page.rowsWithTotal(total));
        assertFalse(page.location().contains(TestServer.ADMIN_KEY), "the key is never in the address");
    }

    @Test
    void aQualifierSearchNarrowsAndSurvivesAReloadAndTheBackButton() {
        page.signInAndList("admin", TestServer.ADMIN_KEY);
        page.search("state:failed user:carol");
        JsonObject expected = list("state=Failed&user=carol");
        int narrowed = expected.getJsonObject("meta").getInteger("total_count");
        assertTrue(narrowed > 0 && narrowed < 40);
        assertEquals(uuids(expected.getJsonArray("objects")), page.rowsWithTotal(narrowed));
        String address = page.location();
        assertTrue(address.contains("q=state"), address);

        browser.driver().navigate().refresh();
        assertEquals(uuids(expected.getJsonArray("objects")), page.rowsWithTotal(narrowed));

        page.search("action:Deploy ip:10.0.0.3");
        int other = list("action=Deploy&ip=10.0.0.3").getJsonObject("meta").getInteger("total_count");
        page.rowsWithTotal(other);
        browser.driver().navigate().back();
        page.rowsWithTotal(narrowed);
        assertEquals("state:failed user:carol", browser.find(By.name("q")).getAttribute("value"));
    }

    @Test
    void pagingKeepsItsPlaceWhenNewActionsArriveAndAcrossAReload() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        int total = page.total();
        browser.find(By.id("older")).click();
        browser.until(d -> d.getCurrentUrl().contains("offset=25"));
        List<String> second = page.rowsWithTotal(total);
        assertEquals(uuids(list("limit=25&offset=25").getJsonArray("objects")), second);
        admin.record(new JsonObject().put("action", "Arrived While Paging"));
        browser.driver().navigate().refresh();
        assertEquals(second, page.rowsWithTotal(total), "the page is pinned to when the list was first loaded");
    }

    /** A page the server ends early (its rows pass http.max_page_bytes) must not make Older skip the rows left out. */
    @Test
    void olderGoesOnFromTheLastRowShownWhenAPageIsCutShort() {
        String body = "x".repeat(300_000);
        for (int i = 0; i < 30; i++) {
            admin.record(new JsonObject().put("user", "heavy").put("action", "Upload " + i).put("body", body)
                    .put("start_date", String.format("2020-01-01T00:%02d:00Z", i)));
        }
        JsonObject first = list("user=heavy&limit=25");
        int shown = first.getJsonArray("objects").size();
        assertTrue(shown < 25, "the server cuts this page short: " + shown + " rows");
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("user:heavy");
        assertEquals(uuids(first.getJsonArray("objects")), page.rowsWithTotal(30));
        browser.find(By.id("older")).click();
        browser.until(d -> d.getCurrentUrl().contains("offset="));
        assertTrue(page.location().contains("offset=" + shown), page.location());
        JsonObject second = list("user=heavy&limit=25&offset=" + shown);
        browser.until(d -> page.uuids().equals(uuids(second.getJsonArray("objects"))));
    }

    @Test
    void anInvalidQualifierIsShownAndTheSearchIsNotRun() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.submitSearch("stat:Failed after:yesterday");
        WebElement error = browser.find(By.id("search-error"));
        browser.until(d -> error.getText().contains("unknown qualifier stat:"));
        assertTrue(error.getText().contains("after:yesterday: not a date"), error.getText());
        assertTrue(page.uuids().isEmpty());
    }

    @Test
    void theChartsBarsAddUpToTheTotalAndABarNarrowsTheSearch() {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("after:2026-03-01 before:2026-03-04");
        int total = page.total();
        // The bars of this search, once drawn: their counts add up to the list's total.
        List<WebElement> bars = browser.until(d -> {
            List<WebElement> b = d.findElements(By.cssSelector("#bars [data-count]"));
            int sum = b.stream().mapToInt(e -> Integer.parseInt(e.getAttribute("data-count"))).sum();
            return sum == total ? b : null;
        });
        assertTrue(bars.size() > 1, "one bar per hour of the range");
        WebElement bar = bars.get(0);
        int count = Integer.parseInt(bar.getAttribute("data-count"));
        bar.click();
        page.rowsWithTotal(count);
        assertTrue(browser.find(By.name("q")).getAttribute("value").contains("after:2026-03-01T"));
    }

    @Test
    void aUserSeesOnlyTheirOwnActions() {
        page.signInAndList("alice", server.key("alice"));
        List<String> shown = page.rowsWithTotal(alices.size());
        assertEquals(alices, new TreeSet<>(shown));
        page.search("user:bob");
        assertEquals(List.of(), page.rowsWithTotal(0));
    }

    /**
     * Installed in the page before the viewer's scripts: the first list request for alice's actions is answered only
     * once {@code window.release()} is called; {@code window.firstDone} is set in the task after the viewer has read
     * that answer (every await of the viewer's on it is a microtask, run before).
     */
    private static final String HOLD_FIRST_ALICE_SEARCH = ViewerPage.holdFirstAnswer(
            "u.startsWith('/api/v1/action/?') && u.includes('user=alice')", "");

    /** A search answered after a newer one was run is dropped: the newer one's rows and total stay. */
    @Test
    void aSearchAnsweredAfterANewerOneIsDropped() {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", HOLD_FIRST_ALICE_SEARCH)).get("identifier");
        try {
            page.signInAndList(null, TestServer.ADMIN_KEY);
            page.submitSearch("user:alice");
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.firstAsked === true")));
            page.search("user:bob");
            JsonObject bobs = list("user=bob&limit=25");
            int total = bobs.getJsonObject("meta").getInteger("total_count");
            assertEquals(uuids(bobs.getJsonArray("objects")), page.rowsWithTotal(total));
            browser.script("window.release()");
            browser.until(d -> Boolean.TRUE.equals(browser.script("return window.firstDone === true")));
            assertEquals(total, page.total());
            assertEquals(uuids(bobs.getJsonArray("objects")), page.uuids());
            assertEquals("user:bob", browser.find(By.name("q")).getAttribute("value"));
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    @Test
    void theExportButtonSavesTheSearchAsNdjson() throws Exception {
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("user:carol state:Success");
        int total = page.total();
        browser.find(By.id("export-ndjson")).click();
        WebElement status = browser.find(By.id("export-status"));
        browser.until(d -> status.getText().startsWith("Saved"));
        assertTrue(status.getText().contains(" " + total + " actions"), status.getText());
        java.nio.file.Path saved = browser.until(d -> {
            try (var files = java.nio.file.Files.list(browser.downloads())) {
                return files.filter(f -> f.toString().endsWith(".ndjson")).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                return null;
            }
        });
        List<String> lines = browser.until(d -> {
            try {
                List<String> l = java.nio.file.Files.readAllLines(saved);
                return l.size() == total ? l : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        lines.forEach(l -> assertEquals("carol", new JsonObject(l).getString("user")));
    }

    @Test
    void theViewersPagesCarryASecurityPolicyAndStaySmall() throws Exception {
        Client anonymous = server.withHeader(null);
        for (String path : List.of("/", "/viewer/app.js", "/viewer/style.css")) {
            Client.Response r = anonymous.get(path);
            assertEquals(200, r.status(), path);
            String csp = r.header("Content-Security-Policy");
            assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'")
                    && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"), csp);
            assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
            assertEquals("no-referrer", r.header("Referrer-Policy"));
            assertTrue(r.header("Cache-Control").contains("max-age="), path);
        }
        // Every script and style the jar serves, as the build copied them from src/main/resources/webroot.
        List<String> files;
        try (var listed = java.nio.file.Files.list(Path.of(ViewerListTest.class.getResource("/webroot").toURI()))) {
            files = listed.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".js") || f.endsWith(".css"))
                    .sorted().toList();
        }
        assertTrue(files.containsAll(List.of("app.js", "proof.js", "style.css")), files.toString());
        int bytes = 0;
        for (String file : files) {
            Client.Response r = anonymous.get("/viewer/" + file);
            assertEquals(200, r.status(), file);
            bytes += r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        assertTrue(bytes < 100_000, "scripts and styles take " + bytes + " bytes");
    }
}
