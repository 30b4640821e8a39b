package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class LogStreamTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        server.addUser("ann", Role.USER);
        server.addUser("bob", Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String ann() {
        return "ApiKey ann:" + server.key("ann");
    }

    static JsonObject running(String user) {
        return recorder.record(new JsonObject().put("action", "Deploy").put("user", user).put("state", "In progress"));
    }

    static void append(JsonObject action, String text) {
        assertEquals(200, recorder.postText(action.getString("resource_uri") + "logs/", text).status());
    }

    static void finish(JsonObject action) {
        assertEquals(200, recorder.patch(action.getString("resource_uri"), new JsonObject().put("state", "Success"))
                .status());
    }

    static String logsUri(JsonObject action, String query) {
        return "/v1/action/" + action.getString("uuid") + "/logs/" + query;
    }

    static List<String> lines(List<JsonObject> frames) {
        List<String> out = new ArrayList<>();
        for (JsonObject f : frames) {
            assertEquals("log", f.getString("type"), f.encode());
            out.add(f.getString("log"));
        }
        return out;
    }

    /**
     * Two writers on worker threads keep appending while a follower joins with a tail; once both are done the
     * action finishes, and what the follower got before its socket closed must be the whole log, once.
     */
    @Test
    void tailThenFollowHasNoGapAndNoDuplicateWhileOthersAppend(Vertx vertx) throws Throwable {
        JsonObject action = running("ann");
        CountDownLatch someWritten = new CountDownLatch(40);
        List<Future<Void>> writers = new ArrayList<>();
        for (String who : List.of("a", "b")) {
            writers.add(vertx.executeBlocking(() -> {
                for (int i = 0; i < 150; i++) {
                    append(action, who + "-" + i + "\n");
                    someWritten.countDown();
                }
                return null;
            }, false));
        }
        assertTrue(someWritten.await(60, TimeUnit.SECONDS));
        try (WsProbe follower = WsProbe.open(server.port(), logsUri(action, "?tail=10000"), ann())) {
            List<String> received = new ArrayList<>();
            VertxTestContext ctx = new VertxTestContext();
            Future.all(writers)
                    .compose(written -> vertx.executeBlocking(() -> {
                        finish(action);
                        return null;
                    }))
                    .compose(finished -> follower.closed())
                    .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
                        assertEquals(1000, code);
                        received.addAll(lines(follower.remaining()));
                        ctx.completeNow();
                    })));
            Await.completion(ctx, 60, "writers done and the follower closed");
            String logs = recorder.get(action.getString("resource_uri")).json().getString("logs");
            assertEquals(LogLines.split(logs), received);
            assertEquals(300, received.size());
        }
    }

    @Test
    void tailGivesTheLastLinesOfTheWholeTextAndFollowFalseClosesAfterIt() {
        JsonObject action = running("ann");
        append(action, "one\ntwo\n");
        append(action, "three\npro");
        append(action, "gress\n");
        append(action, "four");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=3&follow=false"), ann())) {
            List<JsonObject> frames = p.untilClosed();
            // A stream that does not follow shows the text as it stands: its unfinished last line too.
            assertEquals(List.of("three", "progress", "four"), lines(frames));
            assertEquals(1000, p.closeCode());
            long now = System.currentTimeMillis() / 1000;
            long timestamp = frames.get(0).getLong("timestamp");
            assertTrue(timestamp > now - 3600 && timestamp <= now + 1, "epoch seconds, got " + timestamp);
        }
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?follow=false"), ann())) {
            assertEquals(List.of("one", "two", "three", "progress", "four"), lines(p.untilClosed()));
        }
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=0&follow=false"), ann())) {
            assertEquals(List.of(), p.untilClosed());
        }
    }

    @Test
    void aFollowerGetsLinesWholeWhateverPiecesTheyWereAppendedIn() throws Exception {
        JsonObject action = running("ann");
        append(action, "first\nhalf of a");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=5"), ann())) {
            assertEquals("first", p.next().getString("log"));
            append(action, " line\nsecond");
            assertEquals("half of a line", p.next().getString("log"));
            // A newline that ends the previous append's text is no empty line of its own.
            append(action, "\nthird\n");
            assertEquals("second", p.next().getString("log"));
            assertEquals("third", p.next().getString("log"));
            append(action, "\n");
            assertEquals("", p.next().getString("log"), "two newlines in a row are an empty line");
            append(action, "unfinished");
            finish(action);
            assertEquals(List.of("unfinished"), lines(p.untilClosed()));
        }
        String logs = recorder.get(action.getString("resource_uri")).json().getString("logs");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=100"), ann())) {
            List<String> tail = lines(p.untilClosed());
            assertEquals(List.of("first", "half of a line", "second", "third", "", "unfinished"), tail);
            assertEquals(LogLines.split(logs), tail, "a later tail gives the lines a follower got");
        }
    }

    @Test
    void aFollowerJoiningMidLineGetsThatLineWholeOnceItEnds() throws Exception {
        JsonObject action = running("ann");
        append(action, "done\nwork");
        append(action, "ing");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=0"), ann())) {
            append(action, " on it\n");
            assertEquals("working on it", p.next().getString("log"));
        }
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=1"), ann())) {
            assertEquals("working on it", p.next().getString("log"));
        }
    }

    @Test
    void followingClosesOnceTheActionIsFinishedAndEveryLineIsOut() throws Exception {
        JsonObject action = running("ann");
        append(action, "before\n");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, ""), ann())) {
            assertEquals("before", p.next().getString("log"));
            append(action, "during\n");
            assertEquals("during", p.next().getString("log"));
            append(action, "last words");
            finish(action);
            assertEquals(List.of("last words"), lines(p.untilClosed()));
            assertEquals(1000, p.closeCode());
        }
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=1&follow=true"), ann())) {
            assertEquals(List.of("last words"), lines(p.untilClosed()), "a finished action closes after its tail");
        }
    }

    @Test
    void unknownMalformedAndForeignActionsAllAnswerNotFound() {
        JsonObject bobs = running("bob");
        for (String uuid : List.of(bobs.getString("uuid"), "00000000-0000-4000-8000-000000000000", "nope")) {
            try (WsProbe p = WsProbe.open(server.port(), "/v1/action/" + uuid + "/logs/", ann())) {
                assertEquals(List.of(error("NOT_FOUND")), p.untilClosed(), uuid);
            }
        }
    }

    @Test
    void badCredentialsOnEitherPathAreRefusedWithAnErrorFrame() {
        JsonObject action = running("ann");
        String uri = logsUri(action, "?follow=false");
        List<String[]> refused = List.of(
                new String[] {uri, "ApiKey ann:wrong-key-0123456789"},
                new String[] {uri + "&user=ann&token=wrong-key-0123456789", null},
                new String[] {uri + "&token=wrong-key-0123456789", null},
                new String[] {uri, null});
        for (String[] r : refused) {
            try (WsProbe p = WsProbe.open(server.port(), r[0], r[1])) {
                assertEquals(List.of(error("UNAUTHORIZED")), p.untilClosed(), r[0] + " " + r[1]);
                assertEquals(1008, p.closeCode());
            }
        }
    }

    @Test
    void queryCredentialsWorkAsWellAsTheHeader() {
        JsonObject action = running("ann");
        append(action, "hello\n");
        String key = server.key("ann");
        for (String query : List.of("?follow=false&user=ann&token=" + key, "?follow=false&token=" + key)) {
            try (WsProbe p = WsProbe.open(server.port(), logsUri(action, query), null)) {
                assertEquals(List.of("hello"), lines(p.untilClosed()));
            }
        }
    }

    @Test
    void aTailOfAnySizeIsCappedRatherThanRefused() {
        JsonObject action = running("ann");
        append(action, "one\ntwo\n");
        for (String tail : List.of("2147483647", "2147483648", "9223372036854775808", "99999999999999999999")) {
            try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?follow=false&tail=" + tail), ann())) {
                assertEquals(List.of("one", "two"), lines(p.untilClosed()), "tail=" + tail);
            }
        }
    }

    @Test
    void aRepeatedParameterTakesItsLastValue() {
        JsonObject action = running("ann");
        append(action, "one\ntwo\n");
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?tail=bad&follow=true&tail=1&follow=false"),
                ann())) {
            assertEquals(List.of("two"), lines(p.untilClosed()));
        }
        try (WsProbe p = WsProbe.open(server.port(), logsUri(action, "?follow=false&token=wrong&token="
                + server.key("ann")), null)) {
            assertEquals(List.of("one", "two"), lines(p.untilClosed()));
        }
    }

    @Test
    void anUnusableTailOrFollowIsABadRequest() {
        JsonObject action = running("ann");
        for (String query : List.of("?tail=-1", "?tail=many", "?tail=1e3", "?tail=-99999999999999999999",
                "?follow=maybe")) {
            try (WsProbe p = WsProbe.open(server.port(), logsUri(action, query), ann())) {
                List<JsonObject> frames = p.untilClosed();
                assertEquals(1, frames.size(), query);
                assertEquals("BAD_REQUEST", frames.get(0).getJsonObject("data").getString("errorMessage"), query);
                String parameter = query.substring(1, query.indexOf('='));
                assertTrue(frames.get(0).getJsonObject("data").getString("detail").startsWith(parameter + ":"),
                        frames.toString());
            }
        }
    }

    static JsonObject error(String message) {
        return new JsonObject().put("type", "error").put("data", new JsonObject().put("errorMessage", message));
    }
}
