package io.actionlog.viewer;

import io.actionlog.support.Browser;
import io.actionlog.support.TestServer;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The viewer as its tests see it: only through the hooks the README lists (name="key", name="q", data-*). */
final class ViewerPage {
    private final Browser browser;
    private final String base;

    ViewerPage(Browser browser, int port) {
        this.browser = browser;
        this.base = "http://127.0.0.1:" + port;
    }

    /** What a viewer test class's {@code @AfterAll} does: the browser, then the server, either possibly unstarted. */
    static void close(Browser browser, TestServer server) {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return base;
    }

    /** Opens the viewer signed out (a fresh tab session: the key lives in sessionStorage only). */
    void openSignedOut(String path) {
        browser.open(base + "/");
        browser.script("sessionStorage.clear()");
        browser.open(base + path);
        browser.find(By.name("key"));
    }

    void signIn(String name, String key) {
        openSignedOut("/");
        if (name != null) {
            browser.find(By.name("name")).sendKeys(name);
        }
        browser.find(By.name("key")).sendKeys(key, Keys.ENTER);
    }

    /** Signs in and waits for the list's total. */
    void signInAndList(String name, String key) {
        signIn(name, key);
        total();
    }

    /** Types a search into name="q" and presses Enter, then waits for the new total. */
    void search(String q) {
        submitSearch(q);
        total();
    }

    /** Types a search and presses Enter, waiting only for the address to change. */
    void submitSearch(String q) {
        WebElement box = browser.find(By.name("q"));
        String before = location();
        box.clear();
        box.sendKeys(q, Keys.ENTER);
        browser.until(d -> !location().equals(before));
    }

    String location() {
        return browser.driver().getCurrentUrl();
    }

    /** The total shown, once the list has one (data-total is empty while a list loads). */
    int total() {
        return browser.until(d -> shownTotal());
    }

    private Integer shownTotal() {
        List<WebElement> t = browser.driver().findElements(By.cssSelector("[data-total]"));
        String v = t.isEmpty() ? null : t.get(0).getAttribute("data-total");
        return v == null || v.isEmpty() ? null : Integer.valueOf(v);
    }

    /** Waits until the list shows exactly {@code expected} total, and returns the rows' uuids, top first. */
    List<String> rowsWithTotal(int expected) {
        try {
            browser.until(d -> Integer.valueOf(expected).equals(shownTotal()));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the list shows a total of " + shownTotal() + ", not " + expected + ", at "
                    + location(), e);
        }
        return uuids();
    }

    List<String> uuids() {
        return browser.driver().findElements(By.cssSelector("tr[data-uuid]")).stream()
                .map(r -> r.getAttribute("data-uuid")).collect(Collectors.toList());
    }

    /**
     * A script to install in the page before the viewer's own: the first request whose address {@code matches} (a
     * JavaScript expression on {@code u}, the address as text) is answered only once {@code window.release()} is
     * called, and {@code window.firstDone} is set in the task after the viewer has read that answer (every await of
     * the viewer's on it is a microtask, run before); {@code window.firstAsked} once it was asked, and
     * {@code window.firstAnswered} once the server's answer is in, held. {@code more} runs after it.
     */
    static String holdFirstAnswer(String matches, String more) {
        return "(() => { const fetch = window.fetch; let held = false;"
                + "  const gate = new Promise((r) => { window.release = r; });"
                + "  window.fetch = (url, init) => { const u = String(url);"
                + "    if (held || !(" + matches + ")) return fetch(url, init);"
                + "    held = true; window.firstAsked = true;"
                + "    return (async () => { const r = await fetch(url, init); const body = await r.text();"
                + "      window.firstAnswered = true; await gate;"
                + "      const answer = new Response(body, { status: r.status, headers: r.headers });"
                + "      const text = answer.text.bind(answer);"
                + "      answer.text = () => text().then((t) => { setTimeout(() => { window.firstDone = true; }); return t; });"
                + "      return answer; })(); };"
                + more + " })();";
    }
}
