package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.State;
import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StateMovesTest {
    /** The moves the contract allows; every other pair must be refused. */
    static final List<String> LEGAL = List.of(
            "Pending>In progress", "Pending>Canceling", "Pending>Canceled", "Pending>Success", "Pending>Failed",
            "In progress>Canceling", "In progress>Success", "In progress>Failed", "In progress>Canceled",
            "Canceling>Canceled", "Canceling>Success", "Canceling>Failed");

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (State from : State.values()) {
            for (State to : State.values()) {
                pairs.add(Arguments.of(from.label, to.label));
            }
        }
        return pairs.stream();
    }

    /** An action in the given state, reached by legal moves. */
    static JsonObject actionIn(String state) {
        JsonObject a = recorder.record(new JsonObject().put("action", "Move").put("user", "someone")
                .put("metadata", new JsonObject().put("m", 1)));
        String uri = a.getString("resource_uri");
        List<String> path = switch (state) {
            case "Pending" -> List.of();
            case "In progress", "Canceling", "Success", "Failed", "Canceled" -> state.equals("Canceling")
                    ? List.of("Canceling") : List.of(state);
            default -> throw new IllegalArgumentException(state);
        };
        for (String s : path) {
            assertEquals(200, recorder.patch(uri, new JsonObject().put("state", s)).status());
        }
        return recorder.get(uri).json();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void everyMoveIsAllowedOrRefusedAsTheContractSays(String from, String to) {
        JsonObject a = actionIn(from);
        Client.Response r = recorder.patch(a.getString("resource_uri"), new JsonObject().put("state", to));
        if (LEGAL.contains(from + ">" + to)) {
            assertEquals(200, r.status(), r.body());
            assertEquals(to, r.json().getString("state"));
            boolean terminal = State.ofLabel(to).isTerminal();
            assertEquals(terminal, r.json().getValue("end_date") != null);
            assertEquals(!terminal && !to.equals("Canceling"), r.json().getBoolean("can_be_canceled"));
            assertEquals(terminal, r.json().getBoolean("can_be_retried"));
        } else {
            assertEquals(409, r.status(), r.body());
            assertTrue(r.json().getString("error").contains(from), r.body());
            assertEquals(from, recorder.get(a.getString("resource_uri")).json().getString("state"));
        }
    }

    @Test
    void aMoveKeepsErrorAndMetadataUnlessItSetsThem() {
        String uri = actionIn("Pending").getString("resource_uri");
        recorder.patch(uri, new JsonObject().put("state", "In progress").put("error", "slow"));
        JsonObject done = recorder.patch(uri, new JsonObject().put("state", "Failed")
                .put("end_date", "2030-01-01T00:00:00Z")).json();
        assertEquals("slow", done.getString("error"));
        assertEquals(new JsonObject().put("m", 1), done.getJsonObject("metadata"));
        assertEquals("Tue, 01 Jan 2030 00:00:00 +0000", done.getString("end_date"));
    }

    @Test
    void aPatchNeedsAKnownStateAndOnlyItsOwnFields() {
        String uri = actionIn("Pending").getString("resource_uri");
        assertEquals(400, recorder.patch(uri, new JsonObject()).status());
        assertEquals(400, recorder.patch(uri, new JsonObject().put("state", "Done")).status());
        assertEquals(400, recorder.patch(uri, new JsonObject().put("state", "Success").put("user", "x")).status());
        assertEquals(400, recorder.patch(uri, new JsonObject().put("state", "In progress")
                .put("end_date", "2030-01-01T00:00:00Z")).status());
        assertEquals(404, recorder.patch("/api/v1/action/00000000-0000-4000-8000-000000000000/",
                new JsonObject().put("state", "Success")).status());
    }

    @Test
    void logsAppendInOrderUntilTheActionEnds() {
        String uri = actionIn("In progress").getString("resource_uri");
        assertEquals(200, recorder.postText(uri + "logs/", "one\n").status());
        assertEquals(200, recorder.postText(uri + "logs/", "two\n").status());
        recorder.patch(uri, new JsonObject().put("state", "Success").put("metadata", new JsonObject().put("r", 2)));
        assertEquals(409, recorder.postText(uri + "logs/", "").status());
        Client.Response late = recorder.postText(uri + "logs/", "three\n");
        assertEquals(409, late.status());
        JsonObject a = recorder.get(uri).json();
        assertEquals("one\ntwo\n", a.getString("logs"));
        assertEquals(new JsonObject().put("r", 2), a.getJsonObject("metadata"));
    }

    @Test
    void cancelMovesPendingOrRunningToCancelingAndOtherwiseIs409() {
        for (String s : List.of("Pending", "In progress")) {
            String uri = actionIn(s).getString("resource_uri");
            Client.Response r = recorder.post(uri + "cancel/", null);
            assertEquals(405, r.status(), "a recorder that does not own it may not cancel");
            Client.Response byAdmin = server.admin().post(uri + "cancel/", null);
            assertEquals(200, byAdmin.status(), byAdmin.body());
            assertEquals("Canceling", byAdmin.json().getString("state"));
            assertEquals(409, server.admin().post(uri + "cancel/", null).status());
        }
        assertEquals(409, server.admin().post(actionIn("Success").getString("resource_uri") + "cancel/", null).status());
    }

    @Test
    void retryOfAFinishedActionCreatesAPendingCopy() {
        JsonObject original = recorder.record(new JsonObject().put("action", "Redeploy").put("user", "rec")
                .put("method", "POST").put("path", "/p/").put("object", "/o/9/").put("body", "{\"a\":1}")
                .put("parents", new io.vertx.core.json.JsonArray().add("/s/1/")).put("state", "Failed"));
        Client.Response r = recorder.post(original.getString("resource_uri") + "retry/", null);
        assertEquals(201, r.status(), r.body());
        JsonObject copy = r.json();
        assertEquals(r.header("Location"), copy.getString("resource_uri"));
        assertEquals("Pending", copy.getString("state"));
        assertEquals(original.getString("uuid"), copy.getString("retry_of"));
        for (String k : List.of("action", "method", "path", "object", "parents", "body", "user")) {
            assertEquals(original.getValue(k), copy.getValue(k), k);
        }
        assertNull(copy.getValue("end_date"));
        assertNotNull(copy.getString("start_date"));
        assertEquals(409, recorder.post(copy.getString("resource_uri") + "retry/", null).status());
    }

    @Test
    void aMoveWithAnEndDateBeforeTheStartIs400NamingBothAndChangesNothing() {
        String uri = recorder.record(new JsonObject().put("action", "x").put("start_date", "2026-03-02T10:00:00Z"))
                .getString("resource_uri");
        Client.Response r = recorder.patch(uri, new JsonObject().put("state", "Success")
                .put("end_date", "2026-03-02T09:00:00Z"));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getString("error").startsWith("end_date:"), r.body());
        assertTrue(r.json().getString("error").contains("start_date"), r.body());
        assertEquals("Pending", recorder.get(uri).json().getString("state"));
        assertEquals(200, recorder.patch(uri, new JsonObject().put("state", "Success")
                .put("end_date", "2026-03-02T10:00:00Z")).status());
    }

    @Test
    void anEndDateInTheSecondTheActionStartedIsItsStartAsShown() {
        String uri = recorder.record(new JsonObject().put("action", "x").put("start_date", "2026-03-02T10:00:00.750Z"))
                .getString("resource_uri");
        // The face shows the start as 10:00:00; a client that ends the action with that date means that second.
        Client.Response r = recorder.patch(uri, new JsonObject().put("state", "Success")
                .put("end_date", "Mon, 02 Mar 2026 10:00:00 +0000"));
        assertEquals(200, r.status(), r.body());
        assertEquals("Mon, 02 Mar 2026 10:00:00 +0000", r.json().getString("end_date"));
        assertEquals(r.json().getString("start_date"), r.json().getString("end_date"));
    }

    @Test
    void anEndDateASecondBeforeTheStartsSecondIsStill400() {
        String uri = recorder.record(new JsonObject().put("action", "x").put("start_date", "2026-03-02T10:00:00.250Z"))
                .getString("resource_uri");
        Client.Response r = recorder.patch(uri, new JsonObject().put("state", "Failed")
                .put("end_date", "2026-03-02T09:59:59.999999Z"));
        assertEquals(400, r.status(), r.body());
        assertEquals("Pending", recorder.get(uri).json().getString("state"));
    }
}
