package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests: every text message lands in a queue; every wait is bounded. It is the JDK's client,
 * not the server's own library, so the server is checked against an independent implementation, and its listener
 * sees the upgrade, the frames and the close strictly in order even when a refusal closes the socket at once.
 * A {@link #openStalled stalled} probe asks for no messages, so it stops reading from the socket.
 */
final class WsProbe implements AutoCloseable {
    static final int WAIT_SECONDS = 30;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();

    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean stalled;
    private volatile WebSocket ws;

    private WsProbe(boolean stalled) {
        this.stalled = stalled;
    }

    static WsProbe open(int port, String uri, String authorization) {
        return open(port, uri, authorization, false);
    }

    /**
     * A probe that reads nothing after the upgrade until {@link #resume}: the server's writes back up behind it
     * like behind a stalled peer.
     */
    static WsProbe openStalled(int port, String uri, String authorization) {
        return open(port, uri, authorization, true);
    }

    private static WsProbe open(int port, String uri, String authorization, boolean stalled) {
        WsProbe probe = new WsProbe(stalled);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        await(builder.buildAsync(URI.create("ws://127.0.0.1:" + port + uri), probe.listener()));
        return probe;
    }

    /** Opens expecting the server to refuse the upgrade itself; returns the HTTP status it answered with. */
    static int refusedUpgrade(int port, String uri, String authorization) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            builder.buildAsync(URI.create("ws://127.0.0.1:" + port + uri), new WsProbe(false).listener())
                    .get(WAIT_SECONDS, TimeUnit.SECONDS).abort();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new AssertionError("the upgrade failed without an HTTP answer: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT_SECONDS + " s", e);
        }
        throw new AssertionError("the upgrade of " + uri + " was accepted");
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket socket) {
                ws = socket;
                // Unbounded demand keeps a following probe as fast as the socket; a stalled one takes nothing.
                if (!stalled) {
                    socket.request(Long.MAX_VALUE);
                }
            }

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(new JsonObject(partial.toString()));
                    partial.setLength(0);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
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
        return remaining();
    }

    int closeCode() {
        return await(closed);
    }

    /** Completes with the close code when the server closes the socket, on the client's thread. */
    Future<Integer> closed() {
        return Future.fromCompletionStage(closed);
    }

    /** The frames not yet taken, in order; after {@link #closed} that is everything the server sent. */
    List<JsonObject> remaining() {
        List<JsonObject> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Lets a stalled probe read everything that is waiting for it, and what comes after. */
    void resume() {
        ws.request(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        WebSocket socket = ws;
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
        }
        if (socket != null) {
            socket.abort();
        }
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the WebSocket failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("no answer within " + WAIT_SECONDS + " s", e);
        }
    }
}
