package io.actionlog.viewer;

import io.actionlog.support.Browser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Figures for docs/benchmarks.md, against a running server (scripts/bench-viewer.sh starts one over generated
 * actions): the stats endpoint's answer time for a range, over HTTP from this JVM, the time from pressing Enter on
 * the viewer's key to the first list row painted, and from a click on an action to its proof shown verified,
 * measured inside a headless Chromium. Not a test.
 * Arguments: BASE_URL KEY FROM TO (the range as the API takes dates).
 */
public final class ViewerTiming {
    private static final int WARM_UP = 200;
    private static final int MEASURED = 200;

    private ViewerTiming() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String key = args[1];
        String range = "start_date__gte=" + args[2] + "&start_date__lt=" + args[3];
        for (String interval : List.of("day", "hour")) {
            List<Double> ms = stats(base, key, "/api/v1/action/stats/?interval=" + interval + "&" + range);
            print("stats_" + interval, ms);
        }
        print("stats_failed_day", stats(base, key, "/api/v1/action/stats/?interval=day&state=Failed&" + range));
        try (Browser browser = Browser.start()) {
            print("viewer_first_list", firstList(browser, base, key));
            print("viewer_proof_verified", proofVerified(browser, base));
        }
    }

    private static List<Double> stats(String base, String key, String path) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Token " + key)
                .build();
        List<Double> ms = new ArrayList<>();
        // The first answers of a path run interpreted or half-compiled code; what a dashboard user meets is the
        // compiled path, so the figures are taken after WARM_UP answers.
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            }
            if (i >= WARM_UP) {
                ms.add((t1 - t0) / 1e6);
            }
        }
        return ms;
    }

    /** Each round: a fresh tab session, the key typed, Enter; until the first row is in the page and painted. */
    private static List<Double> firstList(Browser browser, String base, String key) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            browser.open(base + "/");
            browser.script("sessionStorage.clear()");
            browser.open(base + "/");
            browser.find(By.name("key")).sendKeys(key);
            browser.script("window.__t1 = null;"
                    + "document.getElementById('signin-form').addEventListener('submit',"
                    + " () => { window.__t0 = performance.now(); }, true);"
                    + "new MutationObserver((m, o) => { if (document.querySelector('#rows tr[data-uuid]')) {"
                    + " o.disconnect(); requestAnimationFrame(() => { window.__t1 = performance.now(); }); } })"
                    + ".observe(document.getElementById('rows'), {childList: true});");
            browser.find(By.name("key")).sendKeys(Keys.ENTER);
            Object t = browser.until(d -> browser.script("return window.__t1 === null ? null : window.__t1 - window.__t0"));
            if (i >= 2) {
                ms.add(((Number) t).doubleValue());
            }
        }
        return ms;
    }

    /**
     * Each round, signed in (after {@link #firstList}): from the list, a click on another action's link until its
     * proof panel says verified and is painted (the detail, the proof and the key fetched, the proof checked).
     */
    private static List<Double> proofVerified(Browser browser, String base) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            browser.open(base + "/");
            browser.find(By.cssSelector("#rows tr[data-uuid] a"));
            browser.script("window.__t1 = null; const r = document.getElementById('proof-result');"
                    + "document.addEventListener('click', () => { window.__t0 = performance.now(); }, true);"
                    + "new MutationObserver((m, o) => { const s = r.dataset.proof; if (s && s !== 'checking') {"
                    + " o.disconnect(); requestAnimationFrame(() => { window.__t1 = performance.now();"
                    + " window.__status = s + ': ' + r.textContent; }); } })"
                    + ".observe(r, {attributes: true, attributeFilter: ['data-proof']});");
            browser.driver().findElements(By.cssSelector("#rows tr[data-uuid] a")).get(i).click();
            Object t = browser.until(d -> browser.script("return window.__t1 === null ? null : window.__t1 - window.__t0"));
            String status = (String) browser.script("return window.__status");
            if (!status.startsWith("verified")) {
                throw new IllegalStateException("the proof did not verify: " + status);
            }
            if (i >= 2) {
                ms.add(((Number) t).doubleValue());
            }
        }
        return ms;
    }

    private static void print(String name, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "%s_ms median=%.2f p90=%.2f max=%.2f n=%d%n", name, sorted.get(sorted.size() / 2),
                sorted.get((int) (sorted.size() * 0.9)), sorted.get(sorted.size() - 1), sorted.size());
    }
}
