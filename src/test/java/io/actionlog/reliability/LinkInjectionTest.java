package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging links are built from the route's own path and a vetted host, never from what the client wrote: a crafted
 * request line or Host header cannot point a client (which follows links with its credentials) anywhere else.
 */
class LinkInjectionTest {
    private static final String WALDUR = "/api/user-action-executions/";
    private static final String TUTUM = "/api/v1/action/";
    /** One Link entry, URL free of anything that could end it early; the whole header is a list of these. */
    private static final Pattern ENTRY = Pattern.compile("<([^<>\"\\s,]+)>; rel=\"(first|prev|next|last)\"");
    private static final List<String> CRAFTED_PATHS = List.of(
            "/x>;rel=\"x\",<http://evil.example/../../../api/user-action-executions/?page_size=1",
            "//evil.example/../api/user-action-executions/?page_size=1",
            "/api/./x/../user-action-executions?page_size=1&a%3Eb=%3Cc%3E,d");

    @TempDir
    Path dir;

    @Test
    void craftedRequestPathsNeverReachTheLinkHeader() throws Exception {
        try (TestServer server = withActions(Map.of())) {
            String token = "Token " + server.key("pat");
            for (String target : CRAFTED_PATHS) {
                RawHttp.Response r = get(server, target, Map.of("Authorization", token));
                assertEquals(200, r.status(), target + ": " + r.text());
                for (URI link : links(r.header("Link"))) {
                    assertEquals("127.0.0.1", link.getRawAuthority(), target + " (the Host sent)");
                    assertEquals(WALDUR, link.getRawPath(), target);
                }
            }
        }
    }

    @Test
    void craftedRequestPathsNeverReachTheTutumEnvelope() throws Exception {
        try (TestServer server = withActions(Map.of())) {
            String auth = "Token " + TestServer.ADMIN_KEY;
            for (String target : List.of("/x/../api/v1/action/?limit=1&offset=1",
                    "//evil.example/../api/v1/action/?limit=1&offset=1",
                    "/x>;rel=\"x\",<http://evil.example/../../../api/v1/action/?limit=1&offset=1")) {
                RawHttp.Response r = get(server, target, Map.of("Authorization", auth));
                assertEquals(200, r.status(), target + ": " + r.text());
                JsonObject meta = new JsonObject(r.text()).getJsonObject("meta");
                for (String link : List.of(meta.getString("next"), meta.getString("previous"))) {
                    assertTrue(link.startsWith(TUTUM + "?limit=1&offset="), target + " gave " + link);
                }
            }
        }
    }

    @Test
    void aMalformedHostIsReplacedByTheServersOwnAddressAndAWellFormedOneIsKept() throws Exception {
        try (TestServer server = withActions(Map.of())) {
            String own = "127.0.0.1:" + server.port();
            Map<String, String> expected = new LinkedHashMap<>();
            for (String malformed : List.of("evil.example/x", "user@evil.example", "evil.example:8080:1", "a>b", "",
                    "evil.example,x", "a!b", "evil%2Eexample", "a;b", "evil.example:123456", "[::1", "a'b")) {
                expected.put(malformed, own);
            }
            expected.put("audit.example.org:8443", "audit.example.org:8443");
            expected.put("[::1]:8080", "[::1]:8080");
            assertHosts(server, expected, true);
        }
    }

    @Test
    void aHostTheHttpLayerCannotReadIs400NamingTheHostOnTheTutumFaceToo() throws Exception {
        try (TestServer server = withActions(Map.of())) {
            RawHttp.Response r = get(server, TUTUM, Map.of("Authorization", "Token " + TestServer.ADMIN_KEY,
                    "Host", "user@evil.example"));
            assertEquals(400, r.status(), r.text());
            assertEquals("Host: missing or not a host name or address", new JsonObject(r.text()).getString("error"));
        }
    }

    @Test
    void withPublicHostsOnlyListedHostsAreKeptAndTheFirstStandsInForOthers() throws Exception {
        try (TestServer server = withActions(Map.of("http.public_hosts", "audit.example.org, alt.example.org:8443"))) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("evil.example", "audit.example.org");
            expected.put("127.0.0.1:" + server.port(), "audit.example.org");
            expected.put("audit.example.org:8443", "audit.example.org");
            expected.put("evil.example,x", "audit.example.org");
            expected.put("ALT.example.org:8443", "ALT.example.org:8443");
            expected.put("audit.example.org", "audit.example.org");
            assertHosts(server, expected, false);
        }
    }

    private static void assertHosts(TestServer server, Map<String, String> expected, boolean mayBeRefused)
            throws Exception {
        String token = "Token " + server.key("pat");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            RawHttp.Response r = get(server, WALDUR + "?page=2&page_size=1",
                    Map.of("Authorization", token, "Host", e.getKey()));
            if (mayBeRefused && r.status() == 400 && r.header("Link") == null) {
                // The HTTP layer refuses some malformed hosts itself ('/', '@', a bad port): no link at all.
                assertEquals("Malformed request: a Host that is not a host name or address.",
                        new JsonObject(r.text()).getString("detail"), e.getKey());
                continue;
            }
            assertEquals(200, r.status(), "Host " + e.getKey() + ": " + r.text());
            List<URI> links = links(r.header("Link"));
            assertEquals(4, links.size(), r.header("Link"));
            for (URI link : links) {
                assertEquals("http", link.getScheme());
                assertEquals(e.getValue(), link.getRawAuthority(), "Host " + e.getKey());
                assertEquals(WALDUR, link.getRawPath());
            }
        }
    }

    /** The URLs of a Link header, failing unless the header is exactly a list of well-formed entries. */
    private static List<URI> links(String header) {
        List<URI> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(header);
        StringBuilder rebuilt = new StringBuilder();
        while (m.find()) {
            rebuilt.append(rebuilt.length() == 0 ? "" : ", ").append(m.group());
            out.add(URI.create(m.group(1)));
        }
        assertEquals(header, rebuilt.toString(), "nothing in Link but its entries");
        assertTrue(!out.isEmpty(), header);
        return out;
    }

    private static RawHttp.Response get(TestServer server, String target, Map<String, String> headers)
            throws Exception {
        try (RawHttp raw = new RawHttp(server.port())) {
            return raw.exchange("GET", target.getBytes(StandardCharsets.ISO_8859_1), headers, null);
        }
    }

    private TestServer withActions(Map<String, String> settings) throws Exception {
        TestServer server = TestServer.start(dir, settings);
        server.addUser("pat", Role.USER);
        Client admin = server.admin();
        for (int i = 0; i < 3; i++) {
            admin.record(new JsonObject().put("action", "Build").put("user", "pat").put("state", "Success"));
        }
        return server;
    }
}
