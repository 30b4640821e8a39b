package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for tests: every text frame lands in a queue; every wait is bounded. */
final class WsProbe implements AutoCloseable {
    static final int WAIT_SECONDS = 30;

    private final WebSocketClient client;
    private final ClientWebSocket ws;
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private WsProbe(WebSocketClient client, ClientWebSocket ws) {
        this.client = client;
        this.ws = ws;
    }

    static WsProbe open(Vertx vertx, int port, String uri, String authorization) {
        return open(vertx, port, uri, authorization, new WebSocketClientOptions());
    }

    static WsProbe open(Vertx vertx, int port, String uri, String authorization, WebSocketClientOptions options) {
        WebSocketClient client = vertx.createWebSocketClient(options.setMaxMessageSize(8 << 20));
        WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI(uri);
        if (authorization != null) {
            connect.addHeader("Authorization", authorization);
        }
        // Handlers go on before connecting: a refusal can arrive, and the socket close, before a connect
        // callback would run.
        ClientWebSocket ws = client.webSocket();
        WsProbe probe = new WsProbe(client, ws);
        ws.textMessageHandler(text -> probe.frames.add(new JsonObject(text)));
        ws.closeHandler(v -> probe.closed.complete(ws.closeStatusCode()));
        try {
            await(ws.connect(connect).toCompletionStage().toCompletableFuture());
        } catch (AssertionError e) {
            // A refusal is a frame and a close right after the upgrade; under load the close can overtake the
            // connect callback, which then fails with "WebSocket is closed". The frames are already queued.
            await(probe.closed);
        }
        return probe;
    }

    /** The next frame; fails the test when none comes within the bound. */
    JsonObject next() throws InterruptedException {
        JsonObject f = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(f, "no frame within " + WAIT_SECONDS + " s");
        return f;
    }

    /** Waits for the server to close the socket; returns every frame not yet taken, in order. */
    List<JsonObject> untilClosed() {
        await(closed);
        List<JsonObject> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    short closeCode() {
        return await(closed);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    void pause() {
        ws.pause();
    }

    void resume() {
        ws.resume();
    }

    @Override
    public void close() {
        ws.close();
        client.close();
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT_SECONDS + " s", e);
        }
    }
}
