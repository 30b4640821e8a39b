package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.ForkedServer;
import io.actionlog.support.Http;
import io.actionlog.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(VertxExtension.class)
class StopAndKeepAliveTest {
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
     * The four streams close on their own clients' threads while the server stops on a worker; each close is
     * checked as it happens and flags the context, or fails it.
     */
    @Test
    void stoppingTheServerClosesEveryStreamAfterWhatItAlreadySent(Vertx vertx) throws Throwable {
        server = TestServer.start(dir);
        Client recorder = server.addUser("rec", Role.RECORDER);
        String auth = "ApiKey rec:" + server.key("rec");
        JsonObject running = recorder.record(new JsonObject().put("action", "Long").put("state", "In progress"));
        WsProbe follower = WsProbe.open(server.port(), "/v1/action/" + running.getString("uuid") + "/logs/", auth);
        WsProbe everything = WsProbe.open(server.port(), "/v1/events/", auth);
        WsProbe otherType = WsProbe.open(server.port(), "/v1/events/?object=/api/v1/nothing/", auth);
        SseProbe sse = SseProbe.open(server.port(), "/api/v1/events/", Map.of("Authorization", auth));
        JsonObject a = recorder.record(new JsonObject().put("action", "Short"));
        assertEquals(a.getString("uuid"), everything.next().getString("uuid"));
        assertEquals(a.getString("uuid"), sse.next().data().getString("uuid"));

        JsonObject stopping = LogStreamTest.error("SERVER_STOPPING");
        VertxTestContext ctx = new VertxTestContext();
        Checkpoint closed = ctx.checkpoint(4);
        Map.of("follower", follower, "everything", everything, "an event of another object never went out",
                otherType).forEach((what, probe) -> probe.closed().onComplete(ctx.succeeding(code -> ctx.verify(() -> {
                    assertEquals(List.of(stopping), probe.remaining(), what);
                    closed.flag();
                }))));
        sse.ended().onComplete(ctx.succeeding(end -> ctx.verify(() -> {
            List<SseProbe.Event> rest = sse.remaining();
            assertEquals(1, rest.size(), rest.toString());
            assertEquals("error", rest.get(0).name());
            assertEquals(stopping, rest.get(0).data());
            closed.flag();
        })));
        TestServer stopped = server;
        server = null;
        vertx.executeBlocking(() -> {
            stopped.close();
            return null;
        }).onComplete(ctx.succeeding(done -> { }));
        Await.completion(ctx, WsProbe.WAIT_SECONDS, "every stream closed");
        sse.close();
    }

    /**
     * SIGTERM to a server in its own JVM, with writes in flight, an events WebSocket, an SSE stream, a WebSocket peer
     * that never answers a close, and an idle keep-alive connection: the streams get SERVER_STOPPING, the stop
     * logs its start and its end within two seconds, and every acknowledged write is there after a restart.
     */
    @Test
    void sigtermStopsWithinTwoSecondsLoggingItAndKeepingEveryAcknowledgedWrite() throws Exception {
        Path data = dir.resolve("data");
        String auth = "Token " + TestServer.ADMIN_KEY;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ForkedServer.Exit exit;
        SseProbe sse;
        WsProbe events;
        try (ForkedServer forked = ForkedServer.start(data, TestServer.ADMIN_KEY);
             Socket silent = new Socket("127.0.0.1", forked.port());
             Socket idle = new Socket("127.0.0.1", forked.port())) {
            Http http = new Http(forked.port());
            events = WsProbe.open(forked.port(), "/v1/events/", auth);
            sse = SseProbe.open(forked.port(), "/api/v1/events/", Map.of("Authorization", auth));
            DataInputStream silentIn = upgrade(silent, "/v1/events/");
            assertTrue(get(idle, "/health").startsWith("HTTP/1.1 200"));
            List<Thread> writers = List.of(writer(http, acknowledged), writer(http, acknowledged));
            writers.forEach(Thread::start);
            String first = events.next().getString("uuid");
            assertEquals(first, sse.next().data().getString("uuid"));
            readFrame(silentIn);
            exit = forked.terminate();
            for (Thread w : writers) {
                w.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        JsonObject stopping = LogStreamTest.error("SERVER_STOPPING");
        List<JsonObject> lastFrames = events.untilClosed();
        assertEquals(stopping, lastFrames.get(lastFrames.size() - 1), "the events socket ends with SERVER_STOPPING");
        SseProbe.Event last = sse.next();
        while (!last.name().equals("error")) {
            last = sse.next();
        }
        assertEquals(stopping, last.data());
        sse.close();
        assertStopLoggedWithinTwoSeconds(exit);
        assertFalse(acknowledged.isEmpty(), "writes were acknowledged before the stop");
        // The restart only reads the journal back, so it runs in this JVM: a second child JVM would add its start.
        try (TestServer again = TestServer.start(data)) {
            Http http = new Http(again.port());
            for (String uuid : acknowledged) {
                assertEquals(200, http.get("/api/v1/action/" + uuid + "/").statusCode(), uuid);
            }
        }
    }

    /** The server's own measure of its stop, from its log: the wall clock of a loaded test machine says less. */
    private static void assertStopLoggedWithinTwoSeconds(ForkedServer.Exit exit) {
        assertTrue(exit.output().contains("stopping: "), "the start of the stop is logged:\n" + exit.output());
        Matcher stopped = Pattern.compile("actionlog stopped after (\\d+) ms").matcher(exit.output());
        assertTrue(stopped.find(), "the end of the stop is logged:\n" + exit.output());
        assertTrue(Long.parseLong(stopped.group(1)) <= 2000, "stopped within 2 s:\n" + exit.output());
    }

    /** POSTs actions with uuids of its own until the server stops answering; keeps those answered 201. */
    private static Thread writer(Http http, Set<String> acknowledged) {
        return new Thread(() -> {
            for (int failures = 0; failures < 3; ) {
                String uuid = UUID.randomUUID().toString();
                try {
                    int status = http.post("/api/v1/action/", new JsonObject().put("uuid", uuid)
                            .put("action", "During stop").encode()).statusCode();
                    if (status == 201) {
                        acknowledged.add(uuid);
                    } else {
                        failures++;
                    }
                } catch (Exception e) {
                    failures++;
                }
            }
        }, "stop-writer");
    }

    /** Completes a WebSocket upgrade on a raw socket; the caller decides what, if anything, it answers. */
    static DataInputStream upgrade(Socket socket, String path) throws IOException {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: ApiKey admin:" + TestServer.ADMIN_KEY + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return in;
    }

    /** One request on a raw keep-alive connection; returns the head of the answer. */
    private static String get(Socket socket, String path) throws IOException {
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return readHead(new DataInputStream(socket.getInputStream()));
    }

    /** Reads one server frame (servers do not mask; payloads here are short); returns its opcode. */
    private static int readFrame(DataInputStream in) throws IOException {
        int opcode = in.readUnsignedByte() & 0x0F;
        int length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        in.readFully(new byte[length]);
        return opcode;
    }

    /** A raw socket that completes the upgrade and then never answers: the server pings it, then gives up. */
    @Test
    void aPeerThatNeverAnswersPingsIsClosedAfterTheIdleTimeout() throws Exception {
        server = TestServer.start(dir, Map.of("stream.ping_seconds", "1", "stream.idle_timeout_seconds", "2"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            DataInputStream in = upgrade(socket, "/v1/events/");
            int pings = 0;
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                byte[] payload = new byte[in.readUnsignedByte() & 0x7F];
                in.readFully(payload);
                if (opcode == 0x9) {
                    pings++;
                } else if (opcode == 0x8) {
                    assertEquals(1001, ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
                    break;
                }
            }
            assertTrue(pings >= 1, "the server pinged before giving up");
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }
}
