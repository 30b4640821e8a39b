package io.actionlog.http.waldur;

import static io.actionlog.http.waldur.Executions.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 23 executions of pat with labels, outcomes, errors and metadata in different cycles and start dates in pairs
 * (so that ties occur); every order is checked against the same data sorted here: the terms, then
 * {@code -executed_at}, where executed_at breaks its own ties by id in its direction.
 */
class WaldurOrderingTest {
    static final long T0 = 1_709_251_200L;
    static final String[] LABELS = {"Build", "Alpha", "build", "Zeta"};
    static final String[] STATES = {"Success", "Failed", "In progress", "Canceled", "Pending"};
    static final String[] ERRORS = {"", "disk full", "timeout"};

    @TempDir
    static Path dir;
    static TestServer server;
    static Client pat;
    static final List<JsonObject> shown = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        pat = Executions.tokenUser(server, "pat");
        Client admin = server.admin();
        admin.record(Executions.action("other", "Aardvark", "Failed", T0));
        for (int i = 0; i < 23; i++) {
            JsonObject a = Executions.action("pat", LABELS[i % 4], STATES[i % 5], T0 + 60L * (i / 2))
                    .put("error", ERRORS[i % 3]);
            if (i % 4 != 0) {
                a.put("metadata", new JsonObject().put("n", i % 3));
            }
            long id = admin.record(a).getLong("id");
            shown.add(pat.get(BASE + id + "/").json());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static final Map<String, Comparator<JsonObject>> KEYS = Map.of(
            "id", Comparator.comparing(o -> o.getLong("id")),
            "executed_at", Comparator.<JsonObject, String>comparing(o -> o.getString("executed_at"))
                    .thenComparing(o -> o.getLong("id")),
            "corrective_action_label", Comparator.comparing(o -> o.getString("corrective_action_label")),
            "success", Comparator.comparing(o -> !o.containsKey("success") ? 2 : o.getBoolean("success") ? 1 : 0),
            "error_message", Comparator.comparing(o -> o.getString("error_message")),
            "execution_metadata", Comparator.comparing(o -> o.getString("execution_metadata")));

    private static List<Long> expected(String... terms) {
        Comparator<JsonObject> c = (a, b) -> 0;
        for (String t : terms) {
            Comparator<JsonObject> k = KEYS.get(t.replace("-", ""));
            c = c.thenComparing(t.startsWith("-") ? k.reversed() : k);
        }
        c = c.thenComparing(KEYS.get("executed_at").reversed());
        return shown.stream().sorted(c).map(o -> o.getLong("id")).collect(Collectors.toList());
    }

    private static List<Long> ordered(String o) {
        return Executions.ids(pat.get(BASE + "?page_size=300&o=" + o));
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "executed_at", "corrective_action_label", "success", "error_message",
            "execution_metadata"})
    void eachKeyOrdersBothWays(String key) {
        assertEquals(expected(key), ordered(key), key);
        assertEquals(expected("-" + key), ordered("-" + key), "-" + key);
    }

    @Test
    void theDefaultIsNewestFirstWithTiesByIdDescending() {
        List<Long> newest = expected("-executed_at");
        assertEquals(newest, Executions.ids(pat.get(BASE + "?page_size=300")));
        assertEquals(newest, ordered(""));
        assertEquals(newest, ordered("nonsense"));
    }

    @Test
    void aCommaListOrdersByEachTermInTurnAndIgnoresUnknownTerms() {
        assertEquals(expected("success", "-corrective_action_label", "executed_at"),
                ordered("bogus,success,%20-corrective_action_label,executed_at,--id"));
        assertEquals(expected("-error_message", "execution_metadata"), ordered("-error_message,execution_metadata"));
    }

    @Test
    void aRepeatedKeyCountsOnlyTheFirstTime() {
        assertEquals(expected("corrective_action_label"), ordered("corrective_action_label,-corrective_action_label"));
    }

    @Test
    void pagesOfAnOrderAreSlicesOfTheWholeOrder() {
        List<Long> all = expected("corrective_action_label", "-success");
        List<Long> pages = new ArrayList<>();
        for (int page = 1; page <= 5; page++) {
            pages.addAll(Executions.ids(pat.get(BASE + "?page_size=5&o=corrective_action_label,-success&page="
                    + page)));
        }
        assertEquals(all, pages);
    }

    @Test
    void orderingNeverShowsAnotherUsersExecution() {
        List<Long> ids = ordered("corrective_action_label");
        assertEquals(shown.stream().map(o -> o.getLong("id")).sorted().collect(Collectors.toList()),
                ids.stream().sorted().collect(Collectors.toList()));
    }

}
