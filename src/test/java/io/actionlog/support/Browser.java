package io.actionlog.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (Debian's chromium and chromium-driver packages) for the viewer's tests. Without them the
 * tests are skipped with a message saying what to install, unless CI requires them ({@link Needs}), under which a
 * missing browser fails them. The driver's path is given, so Selenium never tries to download one.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(25);

    private final ChromeDriver driver;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
    }

    public static Browser start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        String missing = "browser tests need " + CHROMIUM + " and " + DRIVER
                + " (apt-get install chromium chromium-driver)";
        Needs.require("BROWSER", present, missing);
        Path downloads;
        try {
            downloads = Files.createTempDirectory("actionlog-downloads");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,900", "--no-first-run", "--disable-extensions");
        // Files the viewer saves (exports) go to a directory of this browser's own, removed when it closes.
        options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options), downloads);
    }

    /** Where the browser saves downloaded files. */
    public Path downloads() {
        return downloads;
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return until(WAIT, condition);
    }

    public <T> T until(Duration timeout, Function<WebDriver, T> condition) {
        // Selenium polls every 500 ms unless told otherwise; most conditions hold within a few milliseconds.
        return new WebDriverWait(driver, timeout, POLL).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    public WebElement find(By by) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(downloads)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind is no failure of the tests
        }
    }
}
