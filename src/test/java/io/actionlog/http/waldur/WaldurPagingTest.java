package io.actionlog.http.waldur;

import static io.actionlog.http.waldur.Executions.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pat has 25 executions, one a minute; many has 305; nobody has none. */
class WaldurPagingTest {
    static final long T0 = 1_709_251_200L;

    @TempDir
    static Path dir;
    static TestServer server;
    static Client pat;
    static Client many;
    static Client nobody;
    static final List<Long> patIds = new ArrayList<>();
    static String url;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        pat = Executions.tokenUser(server, "pat");
        many = Executions.tokenUser(server, "many");
        nobody = Executions.tokenUser(server, "nobody");
        Client admin = server.admin();
        for (int i = 0; i < 25; i++) {
            patIds.add(admin.record(Executions.action("pat", "Build", "Success", T0 + 60L * i)).getLong("id"));
        }
        Collections.reverse(patIds);
        for (int i = 0; i < 305; i++) {
            admin.record(Executions.action("many", "Sync", "Success", T0 + i));
        }
        url = "http://127.0.0.1:" + server.port() + BASE;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Client.Response get(Client c, String query) {
        return c.get(BASE + query);
    }

    private static void assertInvalidPage(Client.Response r) {
        assertEquals(404, r.status(), r.body());
        assertEquals("{\"detail\":\"Invalid page.\"}", r.body());
    }

    @Test
    void theFirstPageIsTheNewestTenWithCountAndLinks() {
        Client.Response r = get(pat, "");
        assertEquals(patIds.subList(0, 10), Executions.ids(r));
        assertEquals("25", r.header("X-Result-Count"));
        assertEquals("<" + url + ">; rel=\"first\", <" + url + "?page=2>; rel=\"next\", <" + url
                + "?page=3>; rel=\"last\"", r.header("Link"));
    }

    @Test
    void aMiddlePageLinksBackToAPageOneWithoutPage() {
        Client.Response r = get(pat, "?page=2");
        assertEquals(patIds.subList(10, 20), Executions.ids(r));
        assertEquals("<" + url + ">; rel=\"first\", <" + url + ">; rel=\"prev\", <" + url + "?page=3>; rel=\"next\", <"
                + url + "?page=3>; rel=\"last\"", r.header("Link"));
    }

    @Test
    void theLastPageHasNoNextLink() {
        Client.Response r = get(pat, "?page=3");
        assertEquals(patIds.subList(20, 25), Executions.ids(r));
        assertEquals("<" + url + ">; rel=\"first\", <" + url + "?page=2>; rel=\"prev\", <" + url
                + "?page=3>; rel=\"last\"", r.header("Link"));
    }

    @Test
    void pageLastIsTheLastPage() {
        Client.Response last = get(pat, "?page=last");
        Client.Response three = get(pat, "?page=3");
        assertEquals(three.body(), last.body());
        assertEquals(three.header("Link"), last.header("Link"));
        assertEquals("25", last.header("X-Result-Count"));
    }

    @Test
    void linksKeepOtherKeysSortedAndPercentEncoded() {
        Client.Response r = get(pat, "?zeta=a+b&page=2&page_size=5&o=-id,corrective_action_label&alpha=x/y&flag");
        String rest = "alpha=x%2Fy&flag=&o=-id%2Ccorrective_action_label";
        assertEquals("<" + url + "?" + rest + "&page_size=5&zeta=a+b>; rel=\"first\", <" + url + "?" + rest
                + "&page_size=5&zeta=a+b>; rel=\"prev\", <" + url + "?" + rest + "&page=3&page_size=5&zeta=a+b>; "
                + "rel=\"next\", <" + url + "?" + rest + "&page=5&page_size=5&zeta=a+b>; rel=\"last\"",
                r.header("Link"));
    }

    @Test
    void linksUseTheHostTheClientAddressed() {
        Client.Response r = pat.send(HttpMethod.GET, BASE + "?page=3", java.util.Map.of("Host", "waldur.example.org"));
        assertEquals("<http://waldur.example.org" + BASE + ">; rel=\"first\", <http://waldur.example.org" + BASE
                + "?page=2>; rel=\"prev\", <http://waldur.example.org" + BASE + "?page=3>; rel=\"last\"",
                r.header("Link"));
    }

    @Test
    void headReturnsTheCountAndLinksWithoutABody() {
        Client.Response r = pat.send(HttpMethod.HEAD, BASE + "?page=2", null, null);
        assertEquals(200, r.status());
        assertEquals("25", r.header("X-Result-Count"));
        assertEquals(get(pat, "?page=2").header("Link"), r.header("Link"));
        assertEquals("", r.body());
    }

    @Test
    void headOfAnInvalidPageIs404() {
        assertEquals(404, pat.send(HttpMethod.HEAD, BASE + "?page=4", null, null).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "abc", ""})
    void aBadPageSizeMeansTen(String size) {
        Client.Response r = get(pat, "?page_size=" + size);
        assertEquals(patIds.subList(0, 10), Executions.ids(r));
        assertEquals("<" + url + "?page_size=" + size + ">; rel=\"first\", <" + url + "?page=2&page_size=" + size
                + ">; rel=\"next\", <" + url + "?page=3&page_size=" + size + ">; rel=\"last\"", r.header("Link"));
    }

    @Test
    void aPageSizeAboveTheMaximumIs300() {
        Client.Response r = get(many, "?page_size=1000");
        assertEquals(300, Executions.ids(r).size());
        assertEquals("305", r.header("X-Result-Count"));
        assertEquals(5, Executions.ids(get(many, "?page_size=1000&page=2")).size());
        assertEquals(300, Executions.ids(get(many, "?page_size=99999999999999999999999")).size());
    }

    @Test
    void aPageSizeWithinBoundsIsHonoured() {
        assertEquals(patIds.subList(7, 14), Executions.ids(get(pat, "?page_size=7&page=2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "4", "1.5", "99999999999999999999"})
    void aPageThatIsNotAPageIs404(String page) {
        assertInvalidPage(get(pat, "?page=" + page));
    }

    @Test
    void anEmptyListIsAnEmptyArrayOnPageOne() {
        Client.Response r = get(nobody, "");
        assertEquals(200, r.status());
        assertEquals("[]", r.body());
        assertEquals("0", r.header("X-Result-Count"));
        assertEquals("<" + url + ">; rel=\"first\", <" + url + ">; rel=\"last\"", r.header("Link"));
        assertEquals("[]", get(nobody, "?page=last").body());
        assertInvalidPage(get(nobody, "?page=2"));
    }

    @Test
    void unknownParametersAreIgnored() {
        assertEquals(patIds.subList(0, 10), Executions.ids(get(pat, "?user=many&state=Failed")));
    }
}
