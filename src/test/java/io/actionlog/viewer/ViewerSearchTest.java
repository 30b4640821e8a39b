package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The search box's quoting, against values that hold quotes and backslashes, in a real browser. */
class ViewerSearchTest {
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

    @Test
    void aQuoteInsideAQuotedValueIsEscapedWithABackslash() {
        String quoted = admin.record(new JsonObject().put("action", "Say \"hi\" now")).getString("uuid");
        admin.record(new JsonObject().put("action", "Say "));
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("action:\"Say \\\"hi\\\" now\"");
        assertEquals(List.of(quoted), page.rowsWithTotal(1));
        assertTrue(browser.find(By.id("search-error")).getText().isEmpty());
    }

    @Test
    void aBackslashInsideAQuotedValueIsEscapedAndABareOneIsTakenAsTyped() {
        String windows = admin.record(new JsonObject().put("action", "Copy").put("object", "C:\\tmp\\")).getString("uuid");
        page.signInAndList(null, TestServer.ADMIN_KEY);
        page.search("object:\"C:\\\\tmp\\\\\"");
        assertEquals(List.of(windows), page.rowsWithTotal(1));
        page.search("object:C:\\tmp\\");
        assertEquals(List.of(windows), page.rowsWithTotal(1));
    }

    /** The detail links each parent to the search object:<parent>, which must find it whatever the parent holds. */
    @Test
    void aParentHoldingQuotesAndBackslashesLinksToASearchThatFindsIt() {
        String parent = "/api/v1/stack/\"odd\" \\name/";
        String parentAction = admin.record(new JsonObject().put("action", "Stack").put("object", parent))
                .getString("uuid");
        String child = admin.record(new JsonObject().put("action", "Service")
                .put("parents", new JsonArray().add(parent))).getString("uuid");
        page.signInAndList(null, TestServer.ADMIN_KEY);
        browser.open(page.base() + "/?open=" + child);
        browser.find(By.cssSelector("[data-field=parents] a")).click();
        assertEquals(List.of(parentAction), page.rowsWithTotal(1));
    }
}
