package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-Sent Events to a peer that never reads, as {@link UnreadSocketTest} for WebSockets. Once such a socket's
 * buffers are full, the stream's end (its error event, the last chunk) cannot go out either; the server must still
 * cut the stream off, let go of the connection, and count it closed. The test reads the response head and nothing
 * after it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreadEventSourceTest {
    /** Parents of an event: 100 of 2,000 characters, about 200 KB a frame, so that a few dozen fill every buffer. */
    private static final JsonArray PARENTS = new JsonArray();

    static {
        for (int i = 0; i < 100; i++) {
            PARENTS.add("/api/v1/parent/" + i + "/" + "p".repeat(1980));
        }
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
     * 80 events of 200 KB: far more than the TCP buffers (4 MB to send on Linux, a few KB to receive here), the
     * response's write queue (256 KB) and the outbox (4 MB) hold together, so the cut is certain.
     */
    @Test
    void aSlowConsumerWhosePeerReadsNothingIsCutAndItsConnectionClosed() throws Exception {
        server = TestServer.start(dir, Map.of("stream.ping_seconds", "1", "stream.idle_timeout_seconds", "2"));
        Client recorder = server.addUser("rec", Role.RECORDER);
        recorder.record(new JsonObject().put("action", "Small"));
        // The recorder's and the metrics' kept-alive connections.
        double before = openConnections();
        try (Socket socket = unreadEventSource()) {
            Await.until(this::openEventSources, n -> n == 1, 30, "the stream opened");
            Await.until(this::openConnections, n -> n == before + 1, 30, "the stream's connection was counted");
            for (int i = 0; i < 80; i++) {
                recorder.record(new JsonObject().put("action", "Big " + i).put("parents", PARENTS));
            }
            Await.until(this::openEventSources, n -> n == 0, 30, "the stream was cut off");
            Await.until(() -> writeFails(socket), failed -> failed, 30, "the server closed the connection");
            Await.until(this::openConnections, n -> n == before, 30, "the connection was counted closed");
        }
    }

    /**
     * A stop while the stream's buffers are full: its SERVER_STOPPING event cannot go out, and the stop does not wait
     * for it past its bound; the connection is closed all the same.
     */
    @Test
    void aStopDoesNotWaitForAStreamWhosePeerReadsNothing() throws Exception {
        // An outbox of 64 MB: the events below stay in it, the stream open, until the stop.
        server = TestServer.start(dir, Map.of("stream.max_pending_bytes", String.valueOf(64 << 20)));
        Client recorder = server.addUser("rec", Role.RECORDER);
        try (Socket socket = unreadEventSource()) {
            Await.until(this::openEventSources, n -> n == 1, 30, "the stream opened");
            for (int i = 0; i < 60; i++) {
                recorder.record(new JsonObject().put("action", "Big " + i).put("parents", PARENTS));
            }
            assertEquals(1, openEventSources(), "the stream is still open, its buffers full");
            long t0 = System.nanoTime();
            TestServer stopped = server;
            server = null;
            stopped.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis < 5000, "the stop took " + millis + " ms");
            Await.until(() -> writeFails(socket), failed -> failed, 30, "the server closed the connection");
        }
    }

    private double openEventSources() {
        return metric("actionlog_streams_open{transport=\"sse\"}");
    }

    private double openConnections() {
        return metric("actionlog_http_connections_open");
    }

    private double metric(String name) {
        return metric(server, name);
    }

    /** On a connection of its own, closed after: the count of open connections includes it, and only it. */
    static double metric(TestServer server, String name) {
        try (RawHttp raw = new RawHttp(server.port())) {
            return MetricsText.value(raw.exchange("GET", "/metrics".getBytes(StandardCharsets.US_ASCII), Map.of(),
                    null).text(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Socket unreadEventSource() throws IOException {
        return unreadEventSource(server);
    }

    /** A socket with a tiny receive buffer that reads the response head of the events stream, then nothing. */
    static Socket unreadEventSource(TestServer server) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Authorization: ApiKey admin:" + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 200"), head.toString());
        return socket;
    }

    /**
     * Whether a few bytes can no longer be written: the server closed its end (the first write after the close
     * draws a reset, the next one fails). The bytes are the start of a request line the server never answers.
     */
    static boolean writeFails(Socket socket) {
        try {
            socket.getOutputStream().write("GET /".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
