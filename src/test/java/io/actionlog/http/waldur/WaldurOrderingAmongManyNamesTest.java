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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ordering by label where the server holds many more labels than the caller has executions: "crowd" recorded 150
 * labels of its own, pat 30 executions under 5 labels (one of them crowd's too, two differing only in case), with
 * outcomes, errors and start dates in pairs. Pat's pages are ordered by pat's labels alone, exactly as
 * {@link WaldurOrderingTest} orders them where there are few labels: checked against the same data sorted here.
 */
class WaldurOrderingAmongManyNamesTest {
    static final long T0 = 1_709_251_200L;
    static final String[] LABELS = {"Build", "Crowd 042", "build", "Zeta", "Ätna"};
    static final String[] STATES = {"Success", "Failed", "In progress", "Canceled", "Pending", "Success"};
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
        for (int i = 0; i < 150; i++) {
            admin.record(Executions.action("crowd", String.format("Crowd %03d", i), "Success", T0 + i));
        }
        for (int i = 0; i < 30; i++) {
            JsonObject a = Executions.action("pat", LABELS[i * 7 % 5], STATES[i % 6], T0 + 60L * (i / 2))
                    .put("error", ERRORS[i % 3]);
            long id = admin.record(a).getLong("id");
            shown.add(pat.get(BASE + id + "/").json());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Comparator<JsonObject> key(String term) {
        Comparator<JsonObject> k = switch (term.replace("-", "")) {
            case "corrective_action_label" -> Comparator.comparing(o -> o.getString("corrective_action_label"));
            case "success" -> Comparator.comparing(o -> !o.containsKey("success") ? 2
                    : o.getBoolean("success") ? 1 : 0);
            case "error_message" -> Comparator.comparing(o -> o.getString("error_message"));
            default -> Comparator.<JsonObject, String>comparing(o -> o.getString("executed_at"))
                    .thenComparing(o -> o.getLong("id"));
        };
        return term.startsWith("-") ? k.reversed() : k;
    }

    private static List<Long> expected(String o) {
        Comparator<JsonObject> c = (a, b) -> 0;
        for (String t : o.split(",")) {
            c = c.thenComparing(key(t));
        }
        c = c.thenComparing(key("-executed_at"));
        return shown.stream().sorted(c).map(a -> a.getLong("id")).collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"corrective_action_label", "-corrective_action_label",
            "success,-corrective_action_label", "-success,corrective_action_label",
            "-corrective_action_label,error_message", "error_message,corrective_action_label",
            "corrective_action_label,executed_at", "-corrective_action_label,-success,error_message"})
    void patsExecutionsAreOrderedByPatsLabelsThenTheOtherTerms(String o) {
        assertEquals(expected(o), Executions.ids(pat.get(BASE + "?page_size=100&o=" + o)), o);
    }

    @Test
    void pagesOfALabelOrderAreSlicesOfTheWholeOrder() {
        for (String o : List.of("corrective_action_label", "-corrective_action_label",
                "success,-corrective_action_label")) {
            List<Long> pages = new ArrayList<>();
            for (int page = 1; page <= 5; page++) {
                pages.addAll(Executions.ids(pat.get(BASE + "?page_size=7&o=" + o + "&page=" + page)));
            }
            assertEquals(expected(o), pages, o);
        }
    }

    @Test
    void theLastPageOfALabelOrderHoldsTheLastExecutions() {
        List<Long> all = expected("-corrective_action_label");
        Client.Response last = pat.get(BASE + "?page_size=8&o=-corrective_action_label&page=last");
        assertEquals(all.subList(24, 30), Executions.ids(last));
        assertEquals("30", last.header("X-Result-Count"));
    }
}
