package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging numbers at and past the edges of int and long: an offset past the total is an empty page with no next,
 * one past Integer.MAX_VALUE or not a whole number is a 400 naming it, and no link ever carries a negative number.
 */
class PagingOverflowTest {
    private static final String MAX_INT = "2147483647";
    private static final List<String> TOO_LARGE = List.of("2147483648", "9223372036854775807",
            "9223372036854775808", "99999999999999999999");
    /** Every list plan: the counted walk, postings with each order, and a text sort where Waldur allows one. */
    private static final List<String> FILTERS = List.of("", "&user=pat", "&user=pat&order_by=id",
            "&user=pat&order_by=-id", "&order_by=end_date", "&state=Success&order_by=-start_date",
            "&start_date__gte=2020-01-01");

    @TempDir
    static Path dir;
    static TestServer server;
    static Client admin;
    static Client pat;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        admin = server.admin();
        pat = server.addUser("pat", Role.USER);
        for (int i = 0; i < 5; i++) {
            admin.record(new JsonObject().put("action", "Build").put("user", "pat").put("state", "Success"));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theLargestOffsetIsAnEmptyPageWithoutNextAndNoNegativeLink() {
        for (String filter : FILTERS) {
            for (String limit : List.of("1000", "0", "1", MAX_INT)) {
                String query = "?offset=" + MAX_INT + "&limit=" + limit + filter;
                Client.Response r = admin.get("/api/v1/action/" + query);
                assertEquals(200, r.status(), query + ": " + r.body());
                JsonObject meta = r.json().getJsonObject("meta");
                assertEquals(0, r.json().getJsonArray("objects").size(), query);
                assertNull(meta.getValue("next"), query);
                assertEquals(Integer.MAX_VALUE, meta.getInteger("offset"), query);
                assertNoNegativeNumber(meta.getString("previous"), query);
            }
        }
    }

    @Test
    void anOffsetJustBelowTheTotalStillLinksBackAndStops() {
        JsonObject meta = admin.get("/api/v1/action/?user=pat&offset=4&limit=" + MAX_INT).json().getJsonObject("meta");
        assertNull(meta.getValue("next"));
        assertEquals("/api/v1/action/?limit=1000&offset=0&user=pat", meta.getString("previous"), "limit capped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999",
            "-1", "-2147483649", "1e3", "ten", "0x10", ""})
    void anOffsetOrLimitBeyondAnIntOrNotAWholeNumberIs400NamingIt(String value) {
        for (String key : List.of("offset", "limit")) {
            Client.Response r = admin.get("/api/v1/action/?" + key + "=" + value);
            assertEquals(400, r.status(), key + "=" + value + ": " + r.body());
            assertTrue(r.json().getString("error").startsWith(key + ":"), r.body());
        }
    }

    @Test
    void waldurPagesPastAnyTotalAreInvalidAndHugeSizesAreTheMaximum() {
        for (String page : List.of(MAX_INT, "2147483648", "9223372036854775807", "99999999999999999999", "-1",
                "-99999999999999999999")) {
            for (String size : List.of("1", "300", MAX_INT, "99999999999999999999")) {
                Client.Response r = pat.get("/api/user-action-executions/?page=" + page + "&page_size=" + size);
                assertEquals(404, r.status(), "page=" + page + "&page_size=" + size + ": " + r.body());
                assertEquals("Invalid page.", r.json().getString("detail"));
            }
        }
        Client.Response r = pat.get("/api/user-action-executions/?page=last&page_size=99999999999999999999");
        assertEquals(200, r.status(), r.body());
        assertEquals(5, r.array().size());
        assertNoNegativeNumber(r.header("Link"), "Link");
    }

    @Test
    void aLastEventIdPastTheJournalOrBeyondALongIs400() {
        // -1 is valid: the point before the first entry (a replay of the whole journal); -2 is the first that is not.
        for (String id : List.of(MAX_INT, "9223372036854775807", "9223372036854775808", "99999999999999999999",
                "-2", "-9223372036854775808")) {
            Client.Response r = admin.get("/api/v1/events/?last_event_id=" + id);
            assertEquals(400, r.status(), id + ": " + r.body());
            assertTrue(r.json().getString("error").startsWith("Last-Event-ID:"), r.body());
        }
    }

    private static void assertNoNegativeNumber(String link, String what) {
        if (link == null) {
            return;
        }
        Matcher m = Pattern.compile("(?:offset|limit|page|page_size)=(-?\\d+)").matcher(link);
        while (m.find()) {
            assertTrue(m.group(1).charAt(0) != '-', what + " gave " + link);
        }
    }
}
