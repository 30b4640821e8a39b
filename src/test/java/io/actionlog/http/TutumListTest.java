package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 60 actions, one a minute from 2024-03-01T00:00:00Z: states cycle Success, Failed, Pending; objects /o/0..2/;
 * users u0 and u1; methods GET and POST; every fifth has parent /o/2/.
 */
class TutumListTest {
    static final long T0 = 1_709_251_200L;
    static final int N = 60;
    static final String[] STATES = {"Success", "Failed", "Pending"};

    @TempDir
    static Path dir;
    static TestServer server;
    static Client admin;
    static final List<JsonObject> recorded = new ArrayList<>();

    @BeforeAll
    static void seed() throws Exception {
        server = TestServer.start(dir);
        admin = server.admin();
        for (int i = 0; i < N; i++) {
            JsonObject a = new JsonObject().put("action", i % 2 == 0 ? "Start" : "Stop")
                    .put("user", "u" + (i % 2)).put("state", STATES[i % 3]).put("object", "/o/" + (i % 3) + "/")
                    .put("method", i % 4 == 0 ? "GET" : "POST").put("ip", "10.0.0." + (i % 5))
                    .put("start_date", Long.toString(T0 + 60L * i));
            if (i % 5 == 0) {
                a.put("parents", new JsonArray().add("/o/2/"));
            }
            if (!STATES[i % 3].equals("Pending")) {
                a.put("end_date", Long.toString(T0 + 60L * i + 30));
            }
            recorded.add(admin.record(a));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject list(String query) {
        Client.Response r = admin.get("/api/v1/action/" + query);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    static long total(String query) {
        return list(query).getJsonObject("meta").getLong("total_count");
    }

    static List<Long> ids(String query) {
        List<Long> ids = new ArrayList<>();
        list(query).getJsonArray("objects").forEach(o -> ids.add(((JsonObject) o).getLong("id")));
        return ids;
    }

    @Test
    void theDefaultPageIsTheNewest25WithAnExactTotal() {
        JsonObject page = list("");
        JsonObject meta = page.getJsonObject("meta");
        assertEquals(25, meta.getInteger("limit"));
        assertEquals(0, meta.getInteger("offset"));
        assertEquals(N, meta.getInteger("total_count"));
        assertNull(meta.getValue("previous"));
        assertEquals("/api/v1/action/?limit=25&offset=25", meta.getString("next"));
        assertEquals(25, page.getJsonArray("objects").size());
        assertEquals(60L, page.getJsonArray("objects").getJsonObject(0).getLong("id"));
    }

    @Test
    void listObjectsLeaveOutLogsWhileTheDetailHasThem() {
        JsonObject first = list("?limit=1").getJsonArray("objects").getJsonObject(0);
        TutumRecordTest.TUTUM_KEYS.forEach(k -> assertTrue(first.containsKey(k), k));
        assertFalse(first.containsKey("logs"));
        JsonObject detail = admin.get(first.getString("resource_uri")).json();
        assertEquals("", detail.getString("logs"));
        TutumRecordTest.TUTUM_KEYS.forEach(k -> assertEquals(first.getValue(k), detail.getValue(k), k));
    }

    @Test
    void linksKeepEveryFilterAndWalkThePages() {
        JsonObject meta = list("?state=Success&limit=5&offset=5").getJsonObject("meta");
        assertEquals("/api/v1/action/?limit=5&offset=10&state=Success", meta.getString("next"));
        assertEquals("/api/v1/action/?limit=5&offset=0&state=Success", meta.getString("previous"));
        JsonObject last = list("?state=Success&limit=5&offset=15").getJsonObject("meta");
        assertNull(last.getValue("next"));
        assertEquals("/api/v1/action/?limit=5&offset=10&state=Success", last.getString("previous"));
        assertEquals("/api/v1/action/?action=Start&limit=5&object=%2Fo%2F0%2F&offset=5",
                list("?object=/o/0/&action=Start&limit=5").getJsonObject("meta").getString("next"));
    }

    @Test
    void limitIsCappedAt1000AndZeroMeansTheMaximum() {
        assertEquals(1000, list("?limit=5000").getJsonObject("meta").getInteger("limit"));
        assertEquals(1000, list("?limit=0").getJsonObject("meta").getInteger("limit"));
        assertEquals(N, list("?limit=0").getJsonArray("objects").size());
    }

    @Test
    void offsetSkipsAndAPagePastTheEndIsEmpty() {
        assertEquals(List.of(50L, 49L), ids("?limit=2&offset=10"));
        JsonObject past = list("?offset=500");
        assertEquals(0, past.getJsonArray("objects").size());
        assertEquals(N, past.getJsonObject("meta").getInteger("total_count"));
    }

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = '|', value = {
        "?state=Success|20",
        "?state=Pending|20",
        "?state=Canceled|0",
        "?state__in=Success,Failed|40",
        "?state__in=Success&state=Failed|0",
        "?object=/o/1/|20",
        "?object=/o/2/|20",
        "?object=/o/2/&include_related=true|28",
        "?object=/o/2/&include_related=false|20",
        "?action=Start|30",
        "?method=GET|15",
        "?method=get|15",
        "?ip=10.0.0.3|12",
        "?user=u1|30",
        "?user=nobody|0",
        "?start_date__gte=1709251200|60",
        "?start_date__gte=1709251260|59",
        "?start_date__gt=1709251260|58",
        "?start_date__lt=1709251320|2",
        "?start_date__lte=1709251320|3",
        "?start_date__gte=2024-03-01T00:10:00&start_date__lt=2024-03-01T00:20:00Z|10",
        "?start_date__gte=2024-03-01T01:10:00%2B01:00&start_date__lt=2024-03-01T00:20:00Z|10",
        "?start_date__lte=Fri, 01 Mar 2024 00:05:00 +0000|6",
        "?end_date__gte=1709251230|40",
        "?end_date__lt=1709251400|2",
        "?end_date__gt=1709251230&end_date__lte=1709251290|1",
        "?state=Success&object=/o/0/&method=GET|5",
        "?uuid__startswith=|60",
        "?unknown_param=1|60",
    })
    void filtersMatchExactly(String query, long expected) {
        assertEquals(expected, total(query.replace(" ", "%20").replace("+0000", "%2B0000")));
    }

    @Test
    void uuidAndUuidPrefixFindTheAction() {
        String uuid = recorded.get(7).getString("uuid");
        assertEquals(List.of(8L), ids("?uuid=" + uuid));
        assertTrue(ids("?uuid__startswith=" + uuid.substring(0, 6)).contains(8L));
        assertEquals(List.of(8L), ids("?uuid__startswith=" + uuid.substring(0, 30)));
        assertEquals(List.of(8L), ids("?uuid__startswith=" + uuid.toUpperCase()));
        assertEquals(0, total("?uuid=00000000-0000-4000-8000-000000000000"));
    }

    @Test
    void everyOrderIsHonouredWithTiesById() {
        assertEquals(List.of(1L, 2L, 3L), ids("?order_by=start_date&limit=3"));
        assertEquals(List.of(60L, 59L, 58L), ids("?order_by=-start_date&limit=3"));
        assertEquals(List.of(1L, 2L, 3L), ids("?order_by=id&limit=3"));
        assertEquals(List.of(60L, 59L, 58L), ids("?order_by=-id&limit=3"));
        assertEquals(List.of(1L, 2L, 4L), ids("?order_by=end_date&limit=3"));
        assertEquals(List.of(59L, 58L, 56L), ids("?order_by=-end_date&limit=3"));
    }

    @ParameterizedTest(name = "{0} is 400 naming {1}")
    @CsvSource(delimiter = '|', value = {
        "?limit=abc|limit",
        "?limit=-1|limit",
        "?offset=x|offset",
        "?offset=-5|offset",
        "?state=Done|state",
        "?state__in=Success,Nope|state__in",
        "?start_date__gte=tomorrow|start_date__gte",
        "?start_date__lt=2024-13-01|start_date__lt",
        "?end_date__lte=nope|end_date__lte",
        "?order_by=user|order_by",
        "?include_related=maybe|include_related",
        "?uuid=123|uuid",
        "?uuid__startswith=xyz|uuid__startswith",
        "?ip=not-an-ip|ip",
        "?ip=10.0.0.300|ip",
        "?method=GET%21|method",
    })
    void aKnownParameterWithABadValueIs400NamingIt(String query, String name) {
        Client.Response r = admin.get("/api/v1/action/" + query);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith(name), r.body());
    }

    /** Python's requests sends a list as a repeated parameter; Tastypie takes every value of an __in filter. */
    @Test
    void aRepeatedInFilterTakesEveryValueAndItsLinksKeepThem() {
        assertEquals(40, total("?state__in=Success&state__in=Failed"));
        assertEquals(total("?state__in=Success,Failed"), total("?state__in=Success&state__in=Failed"));
        assertEquals(60, total("?state__in=Success,Pending&state__in=Failed"));
        JsonObject meta = list("?state__in=Success&state__in=Failed&limit=2").getJsonObject("meta");
        assertEquals("/api/v1/action/?limit=2&offset=2&state__in=Success&state__in=Failed", meta.getString("next"));
    }

    /** Django's QueryDict.get, which Tastypie reads single values with, answers the last of repeated values. */
    @Test
    void aRepeatedSingleValuedParameterCountsItsLastValue() {
        JsonObject meta = list("?limit=5&limit=7").getJsonObject("meta");
        assertEquals(7, meta.getInteger("limit"));
        assertEquals(7, list("?limit=5&limit=7").getJsonArray("objects").size());
        assertEquals(total("?user=u1"), total("?user=u0&user=u1"));
        assertEquals(total("?object=/o/1/&state=Failed"), total("?object=/o/0/&object=/o/1/&state=Success&state=Failed"));
    }

    /** Django's QueryDict compares names exactly: a name in another case is some other, unknown, parameter. */
    @Test
    void aParameterNameInAnotherCaseIsNotThatParameter() {
        long all = total("");
        assertEquals(all, total("?STATE=Success"));
        assertEquals(all, total("?State__In=Success"));
        assertEquals(25, list("?Limit=1").getJsonObject("meta").getInteger("limit"));
        assertEquals(total("?state=Failed"), total("?state=Failed&STATE=Success"));
        assertEquals(total("?state__in=Failed"), total("?state__in=Failed&STATE__IN=Success"));
    }
}
