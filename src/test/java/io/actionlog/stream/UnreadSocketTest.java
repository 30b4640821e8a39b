package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that never read what the server sends. Once such a socket's buffers are full, a close frame cannot go out
 * either; the server must still let go of the connection. The test reads nothing after the upgrade and, once the
 * server is done with the stream, writes small frames until a write fails, which it does once the server has
 * closed its end (its grace for a close frame that cannot go out is the idle timeout, at least 10 s).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadSocketTest {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTimedOutSocketWhosePeerReadsNothingIsClosed() throws Exception {
        try (Socket socket = unreadSocket(bigLogs())) {
            // Silent until the server has given up on it: any frame it sent would count as a sign of life.
            Await.until(() -> openWebSockets(), n -> n == 0, 30, "the idle timeout closed the stream");
            // Frames it writes now are signs of life no more: the stream is closed; only the connection is left.
            Await.until(() -> writeFails(socket), failed -> failed, 30, "the server closed the connection");
        }
    }

    /** Each ping would queue a pong that cannot go out either: a peer that keeps pinging is cut off. */
    @Test
    void aPeerThatPingsAndReadsNothingIsCutOff() throws Exception {
        try (Socket socket = unreadSocket(bigLogs())) {
            Await.until(() -> pingsFail(socket), failed -> failed, 30, "the server cut the connection");
        }
    }

    /**
     * The logs path of an action with 12 MB of log lines, a tail of 10 MB: far more than the TCP buffers (4 MB to
     * send on Linux, a few KB to receive here) and the socket's write queue hold, so a close frame or a pong stays
     * stuck behind them.
     */
    private String bigLogs() throws Exception {
        server = TestServer.start(dir, Map.of("stream.ping_seconds", "1", "stream.idle_timeout_seconds", "2",
                "stream.max_pending_bytes", String.valueOf(16 << 20)));
        Client recorder = server.addUser("rec", Role.RECORDER);
        JsonObject action = recorder.record(new JsonObject().put("action", "Big").put("state", "In progress"));
        String line = "x".repeat(999) + "\n";
        for (int i = 0; i < 24; i++) {
            assertEquals(200, recorder.postText(action.getString("resource_uri") + "logs/", line.repeat(500))
                    .status());
        }
        return "/v1/action/" + action.getString("uuid") + "/logs/?tail=10000";
    }

    private double openWebSockets() {
        return MetricsText.value(server.withHeader(null).get("/metrics").body(),
                "actionlog_streams_open{transport=\"websocket\"}");
    }

    /** A socket with a tiny receive buffer that completes the upgrade and then reads nothing. */
    private Socket unreadSocket(String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        StopAndKeepAliveTest.upgrade(socket, path);
        return socket;
    }

    /** Whether 100 masked pings can no longer all be written: the server cut the connection. */
    static boolean pingsFail(Socket socket) {
        byte[] ping = {(byte) 0x89, (byte) 0x80, 0, 0, 0, 0};
        try {
            for (int i = 0; i < 100; i++) {
                socket.getOutputStream().write(ping);
            }
            socket.getOutputStream().flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a small masked text frame can no longer be written: the server closed its end. */
    static boolean writeFails(Socket socket) {
        byte[] frame = {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'};
        try {
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
