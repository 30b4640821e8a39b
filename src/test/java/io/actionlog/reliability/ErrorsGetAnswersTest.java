package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.http.FailureHandler;
import io.actionlog.http.OutOfMemory;
import io.actionlog.http.Replies;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request gets an answer whatever a handler throws, Errors included, on the synchronous path and on the path
 * of a reply built after a write; an OutOfMemoryError is a 503 and runs the process's policy once. The handlers
 * here throw on purpose, standing in for a reply that runs out of memory.
 */
class ErrorsGetAnswersTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger policyRuns = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        OutOfMemory policy = new OutOfMemory("counting (test)", policyRuns::incrementAndGet);
        FailureHandler failure = new FailureHandler("error", "Token", "Token", (status, ctx) -> "status " + status, policy);
        Router router = Router.router(vertx);
        router.route("/*").failureHandler(failure);
        router.get("/after/oom").handler(ctx -> Replies.after(ctx, CompletableFuture.completedFuture(1), v -> {
            throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }));
        router.get("/after/error").handler(ctx -> Replies.after(ctx, CompletableFuture.completedFuture(1), v -> {
            throw new StackOverflowError("thrown by the test");
        }));
        router.get("/after/failed-write").handler(ctx -> Replies.after(ctx,
                CompletableFuture.failedFuture(new OutOfMemoryError("thrown by the test")), v -> { }));
        router.get("/sync/oom").handler(ctx -> {
            throw new OutOfMemoryError("thrown by the test");
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void outOfMemoryInAReplyAfterAWriteIsA503AndRunsThePolicy() throws Exception {
        HttpResponse<String> r = get("/after/oom");
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
        assertEquals(1, policyRuns.get());
    }

    @Test
    void anyOtherErrorInAReplyIsA500AndLeavesThePolicyAlone() throws Exception {
        HttpResponse<String> r = get("/after/error");
        assertEquals(500, r.statusCode(), r.body());
        assertEquals("{\"error\":\"internal error\"}", r.body());
        assertEquals(0, policyRuns.get());
    }

    @Test
    void aWriteThatFailedWithAnErrorIsAnswered() throws Exception {
        assertEquals(503, get("/after/failed-write").statusCode());
        assertEquals(1, policyRuns.get());
    }

    @Test
    void outOfMemoryInAHandlerIsA503AndThePolicyRunsOnlyOnce() throws Exception {
        assertEquals(503, get("/sync/oom").statusCode());
        assertEquals(503, get("/sync/oom").statusCode());
        assertEquals(1, policyRuns.get());
    }

    @Test
    void anOutOfMemoryErrorIsRecognisedAsTheCauseOfAnother() {
        assertTrue(OutOfMemory.is(new IllegalStateException("wrapped", new OutOfMemoryError("x"))));
        assertEquals(false, OutOfMemory.is(new StackOverflowError()));
    }
}
