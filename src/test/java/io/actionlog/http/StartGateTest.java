package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port while the journal replays: the gate in front of a real HTTP server, before and after it opens. */
class StartGateTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicLong replayed = new AtomicLong(250);
    private final StartGate gate = new StartGate("9.9.9", replayed::get, 1000);
    private Http http;

    @BeforeEach
    void listen() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(gate).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        http = new Http(server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void healthSaysStartingWithTheReplaysProgress() throws Exception {
        HttpResponse<String> r = http.get("/health");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("\"status\":\"STARTING\""), r.body());
        assertTrue(r.body().contains("\"replay\":{\"entries\":250,\"of\":1000,\"percent\":25}"), r.body());
        replayed.set(500);
        assertTrue(http.get("/health").body().contains("\"percent\":50"));
    }

    @Test
    void everyOtherRouteIs503WithRetryAfterInItsFacesShape() throws Exception {
        HttpResponse<String> tutum = http.post("/api/v1/action/", "{\"action\":\"x\"}");
        assertEquals(503, tutum.statusCode());
        assertEquals(String.valueOf(StartGate.RETRY_AFTER_SECONDS), tutum.headers().firstValue("Retry-After").orElse(""));
        assertTrue(tutum.body().startsWith("{\"error\":"), tutum.body());
        HttpResponse<String> waldur = http.get("/api/user-action-executions/");
        assertEquals(503, waldur.statusCode());
        assertTrue(waldur.body().startsWith("{\"detail\":"), waldur.body());
    }

    @Test
    void onceOpenEveryRequestGoesToTheRouter() throws Exception {
        gate.open(request -> request.response().end("routed " + request.path()));
        HttpResponse<String> r = http.get("/health");
        assertEquals(200, r.statusCode());
        assertEquals("routed /health", r.body());
    }
}
