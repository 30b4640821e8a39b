package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body with a hundred thousand member names costs linear work, and never holds an event loop: the server runs
 * one event loop, and Vert.x's blocked-thread checker never reports it held for long, while other requests are
 * answered meanwhile.
 */
class WideBodiesTest {
    /** Distinct names of three characters, so that 131,000 of them fit in the default body limit of 1 MiB. */
    private static final String CHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            WARNINGS.add(String.valueOf(r.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        CHECKER.addHandler(CAPTURE);
        server = TestServer.start(dir, Map.of("http.event_loops", "1"));
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
        CHECKER.removeHandler(CAPTURE);
    }

    @BeforeEach
    void clear() {
        WARNINGS.clear();
    }

    /**
     * The checker's warnings of a loop held for 4 s or more. It warns once a second from 2 s on, so reading 131,000
     * names on the loop (5.3 s on an idle machine) gives one; a pause of the whole JVM under a loaded machine (GC,
     * scheduling), which holds every thread for a moment and is no event loop's doing, gives at most the 2 s one.
     */
    private static List<String> longBlocks() {
        return WARNINGS.stream().filter(w -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("blocked for (\\d+) ms").matcher(w);
            return !m.find() || Long.parseLong(m.group(1)) >= 4000;
        }).toList();
    }

    private static String name(int i) {
        return "" + CHARS.charAt(i / 3844) + CHARS.charAt(i / 62 % 62) + CHARS.charAt(i % 62);
    }

    /** An object of {@code n} distinct names, each with the value 0, and the members {@code before} first. */
    private static String wide(String before, int n) {
        StringBuilder sb = new StringBuilder(8 * n + before.length() + 2).append('{').append(before);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(name(i)).append("\":0");
        }
        return sb.append('}').toString();
    }

    /** Sends requests until {@code big} completes; true when one was answered while it had not. */
    private static boolean answeredMeanwhile(CompletableFuture<Client.Response> big) {
        Client anyone = server.withHeader(null);
        boolean answered = false;
        while (!big.isDone()) {
            assertEquals(200, anyone.get("/health").status());
            answered |= !big.isDone();
        }
        return answered;
    }

    @Test
    void aSinglePostWith131000NamesIsAnsweredWithoutHoldingTheEventLoop() throws Exception {
        String body = wide("", 131_000);
        assertTrue(body.length() <= 1 << 20, "fits the default body limit");
        CompletableFuture<Client.Response> big = CompletableFuture.supplyAsync(() ->
                recorder.send(HttpMethod.POST, "/api/v1/action/", body, "application/json"));
        assertTrue(answeredMeanwhile(big));
        Client.Response r = big.get();
        assertEquals(400, r.status(), r.body());
        assertEquals("000: unknown field", r.json().getString("error"));
        assertEquals(List.of(), longBlocks());
    }

    @Test
    void aWideObjectBodyIsRecordedInFull() {
        String body = wide("", 50_000);
        JsonObject a = recorder.record(new JsonObject().put("action", "Wide")
                .put("body", new JsonObject(body)));
        String stored = server.admin().get("/api/v1/action/" + a.getString("uuid") + "/").json().getString("body");
        assertEquals(body, stored);
        assertEquals(List.of(), longBlocks());
    }

    @Test
    void bulkLinesWith131000NamesEachAreRefusedByNumberWithoutHoldingTheEventLoop() throws Exception {
        String wide = wide("\"action\":\"Wide\",", 131_000);
        StringBuilder upload = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            upload.append("{\"action\":\"Narrow\"}\n").append(wide).append('\n');
        }
        CompletableFuture<Client.Response> big = CompletableFuture.supplyAsync(() ->
                recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", upload.toString(), "application/x-ndjson"));
        assertTrue(answeredMeanwhile(big));
        JsonObject reply = big.get().json();
        assertEquals(8, reply.getInteger("lines"), reply.encode());
        assertEquals(4, reply.getInteger("accepted"), reply.encode());
        assertEquals(List.of(2, 4, 6, 8), reply.getJsonArray("errors").stream()
                .map(e -> ((JsonObject) e).getInteger("line")).toList());
        assertEquals(List.of(), longBlocks());
    }
}
