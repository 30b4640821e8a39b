package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many event streams whose peers read nothing: each may hold its write queue's bound in its connection, but all of
 * them together hold no more than {@code http.max_unsent_bytes} beyond one frame each, as pages and downloads do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadStreamsBudgetTest {
    private static final int STREAMS = 12;
    private static final long BUDGET = 1 << 20;
    /** Parents of an event: 10 of 2,000 characters, about 20 KB a frame. */
    private static final JsonArray PARENTS = parents(10);

    /** {@code n} parents of 2,000 characters: frames of about n times 2 KB. */
    private static JsonArray parents(int n) {
        JsonArray parents = new JsonArray();
        for (int i = 0; i < n; i++) {
            parents.add("/api/v1/parent/" + i + "/" + "p".repeat(1980));
        }
        return parents;
    }

    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Frames smaller than a step of room (20 KB) and larger (200 KB, which take several steps each). The outboxes
     * may hold 64 MiB, so that none is cut off before the queues are full.
     */
    @ParameterizedTest
    @ValueSource(ints = {10, 100})
    void unreadStreamsTogetherHoldNoMoreThanTheUnsentBudgetAndAFrameEach(int parentsEach) throws Exception {
        server = TestServer.start(dir, Map.of("http.max_unsent_bytes", String.valueOf(BUDGET),
                "stream.max_pending_bytes", String.valueOf(64 << 20)));
        JsonArray parents = parents(parentsEach);
        Client recorder = server.addUser("rec", Role.RECORDER);
        List<Socket> sockets = new ArrayList<>();
        try {
            // Half of them event sources, half WebSockets.
            for (int i = 0; i < STREAMS; i++) {
                sockets.add(i % 2 == 0 ? unreadEventSource() : unreadWebSocket());
            }
            Await.until(() -> openStreams(), n -> n == STREAMS, 30, "the streams opened");
            // Far more than the sockets' TCP buffers take, in bulk requests: a writer's batch of them reaches each
            // stream at once.
            String line = new JsonObject().put("action", "Big").put("parents", parents).encode();
            int frame = line.length() + 1024; // the event adds its uuid, resource_uri, state and date
            for (int i = 0; i < 3; i++) {
                Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/",
                        (line + "\n").repeat(50), "application/x-ndjson");
                assertEquals(200, r.status(), r.body());
            }
            double[] last = {-1};
            // Settled: the streams' queues stopped taking frames (nothing reads them, so they only grow until full).
            double held = Await.until(() -> {
                double now = metric("actionlog_streams_unsent_bytes");
                boolean same = now == last[0];
                last[0] = now;
                return same ? now : -1.0;
            }, n -> n >= 0, 60, "the unsent bytes settled");
            assertTrue(held > 0, "the streams hold unsent frames: the test fills their buffers");
            assertTrue(openStreams() == STREAMS, "no stream was cut off");
            // One credential's streams: a quarter of the budget is all the room they may take.
            long bound = BUDGET / 4 + (long) STREAMS * frame;
            assertTrue(held <= bound, "the streams hold " + (long) held + " unsent bytes, over " + bound);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /**
     * A stream of the same credential whose client reads, while that credential's unread streams hold all the room
     * its share allows: with nothing unsent it may always send its next frame, so it gets every event, in order.
     */
    @Test
    void aReaderGetsEveryEventWhileItsCredentialsUnreadStreamsHoldItsShare() throws Exception {
        server = TestServer.start(dir, Map.of("http.max_unsent_bytes", String.valueOf(BUDGET)));
        Client recorder = server.addUser("rec", Role.RECORDER);
        List<Socket> sockets = new ArrayList<>();
        try (SseProbe reader = SseProbe.open(server.port(), "/api/v1/events/",
                Map.of("Authorization", "ApiKey admin:" + TestServer.ADMIN_KEY))) {
            for (int i = 0; i < STREAMS; i++) {
                sockets.add(unreadEventSource());
            }
            Await.until(() -> metric("actionlog_streams_open{transport=\"sse\"}"), n -> n == STREAMS + 1, 30,
                    "the streams opened");
            List<String> recorded = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                recorded.add(recorder.record(new JsonObject().put("action", "Big " + i).put("parents", PARENTS))
                        .getString("uuid"));
            }
            assertTrue(metric("actionlog_streams_unsent_bytes") > BUDGET / 4, "the unread streams hold the share");
            long last = -1;
            for (String uuid : recorded) {
                SseProbe.Event e = reader.next();
                assertTrue(e.id() > last, "in order");
                last = e.id();
                assertEquals(uuid, e.data().getString("uuid"));
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private double openStreams() {
        return metric("actionlog_streams_open{transport=\"sse\"}")
                + metric("actionlog_streams_open{transport=\"websocket\"}");
    }

    /** A socket with a tiny receive buffer that completes the events WebSocket's upgrade, then reads nothing. */
    private Socket unreadWebSocket() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        StopAndKeepAliveTest.upgrade(socket, "/v1/events/");
        return socket;
    }

    private double metric(String name) {
        return UnreadEventSourceTest.metric(server, name);
    }

    private Socket unreadEventSource() throws IOException {
        return UnreadEventSourceTest.unreadEventSource(server);
    }
}
