package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
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
import java.util.concurrent.TimeUnit;
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

    /** A raw socket that completes the upgrade and then never answers: the server pings it, then gives up. */
    @Test
    void aPeerThatNeverAnswersPingsIsClosedAfterTheIdleTimeout() throws Exception {
        server = TestServer.start(dir, Map.of("stream.ping_seconds", "1", "stream.idle_timeout_seconds", "2"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: ApiKey admin:" + TestServer.ADMIN_KEY + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
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
