package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams asked for while the server stops: clients keep opening events streams, WebSocket and SSE, each on a new
 * connection, before and while {@code close()} runs. Every stream that opened, before the stop or during it, ends
 * with SERVER_STOPPING (a WebSocket with the error frame and close code 1001, SSE with the error event and the
 * stream's end), never with a normal close or a cut; a request the server answers otherwise is a 503 with
 * Retry-After; a connection the closing port takes no request from is closed unanswered. The stop keeps its bound.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StreamsDuringStopTest {
    /** Streams each client opens at most; they stay open until the stop ends them. */
    private static final int PER_CLIENT = 250;
    private static final String STOPPING = LogStreamTest.error("SERVER_STOPPING").encode();

    @TempDir
    Path dir;

    /** How one request ended, read once the server has stopped. */
    private record Attempt(boolean webSocket, long startedNanos, Socket socket, String head) {
    }

    @Test
    void streamsOpenedWhileTheServerStopsGetServerStoppingOrA503() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        int duringStop = 0;
        // The window between the streams' close and the port's is a few milliseconds: a stop may fall where no
        // request is inside it, so a few are tried, each of them checked in full.
        for (int run = 0; run < 5 && duringStop == 0; run++) {
            duringStop = stopWhileOpening(dir.resolve("run" + run), outcomes);
        }
        assertTrue(duringStop > 0, "no stream request reached the stopping server: " + outcomes);
    }

    /** Returns how many requests started after the stop began were answered (a stream or a 503). */
    private int stopWhileOpening(Path data, Map<String, Integer> outcomes) throws Exception {
        TestServer server = TestServer.start(data);
        int port = server.port();
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger opened = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean webSocket = i % 2 == 0;
            Thread t = new Thread(() -> open(port, webSocket, stop, attempts, opened), "opener-" + i);
            t.start();
            clients.add(t);
        }
        long stopStarted;
        long stopMillis;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (opened.get() < 40 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        } finally {
            stopStarted = System.nanoTime();
            server.close();
            stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
        }
        int duringStop = 0;
        List<String> wrong = new ArrayList<>();
        for (Attempt a : attempts) {
            String outcome = outcome(a);
            outcomes.merge(outcome, 1, Integer::sum);
            if (!outcome.startsWith("ok ")) {
                wrong.add(outcome);
            } else if (a.startedNanos() > stopStarted && !outcome.equals("ok unanswered")) {
                duringStop++;
            }
        }
        assertEquals(List.of(), wrong, "every stream ends with SERVER_STOPPING: " + outcomes);
        // The streams' wait and the connections' wait, 0.5 s each (the raw WebSockets here never answer the close, so
        // the second one runs out), and the rest of the stop, with room for a busy machine: well short of the 10 s a
        // stream's close grace would add, or of a wait for the streams opened late.
        assertTrue(stopMillis < 5000, "the stop took " + stopMillis + " ms: " + outcomes);
        return duringStop;
    }

    /** Opens streams on new connections until told to stop or the port closes; keeps those whose head came. */
    private static void open(int port, boolean webSocket, AtomicBoolean stop, ConcurrentLinkedQueue<Attempt> attempts,
                             AtomicInteger opened) {
        String request = webSocket
                ? "GET /v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                : "GET /api/v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
        byte[] bytes = (request + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < PER_CLIENT && !stop.get(); i++) {
            long started = System.nanoTime();
            Socket socket = new Socket();
            String head;
            try {
                socket.setSoTimeout(10_000);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
                head = head(socket.getInputStream());
            } catch (IOException e) {
                head = null; // refused, reset or closed unanswered: the port is closing
            }
            attempts.add(new Attempt(webSocket, started, socket, head));
            if (head != null && (head.startsWith("HTTP/1.1 101") || head.startsWith("HTTP/1.1 200"))) {
                opened.incrementAndGet();
            }
            if (head == null) {
                closeQuietly(socket);
                if (stop.get()) {
                    return;
                }
            }
        }
    }

    /** "ok …" for an allowed ending, anything else names what went wrong. Reads the rest of a stream. */
    private static String outcome(Attempt a) {
        String kind = a.webSocket() ? "websocket " : "sse ";
        if (a.head() == null) {
            return "ok unanswered";
        }
        try (Socket socket = a.socket()) {
            if (a.head().startsWith("HTTP/1.1 503")) {
                return a.head().toLowerCase().contains("\r\nretry-after: ") ? "ok 503"
                        : kind + "503 without Retry-After";
            }
            if (a.webSocket() && a.head().startsWith("HTTP/1.1 101")) {
                return webSocketEnd(new DataInputStream(socket.getInputStream()));
            }
            if (!a.webSocket() && a.head().startsWith("HTTP/1.1 200")) {
                String body = new String(readToEnd(socket.getInputStream()), StandardCharsets.UTF_8);
                boolean stopping = body.contains("event: error\ndata: " + STOPPING + "\n\n");
                boolean ended = body.endsWith("0\r\n\r\n");
                return stopping && ended ? "ok sse SERVER_STOPPING"
                        : "sse " + (stopping ? "SERVER_STOPPING without the end" : "cut without SERVER_STOPPING");
            }
            return kind + a.head().lines().findFirst().orElse("");
        } catch (IOException e) {
            return kind + "failed reading: " + e;
        }
    }

    /** Reads server frames until the close frame; "ok" only when the error frame came first and the code is 1001. */
    private static String webSocketEnd(DataInputStream in) throws IOException {
        String error = null;
        try {
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int length = in.readUnsignedByte() & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (opcode == 0x1) {
                    error = new String(payload, StandardCharsets.UTF_8);
                } else if (opcode == 0x8) {
                    int code = length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                    boolean stopping = error != null && new JsonObject(error).encode().equals(STOPPING);
                    return stopping && code == 1001 ? "ok websocket SERVER_STOPPING"
                            : "websocket closed with " + code + (stopping ? "" : " after " + error);
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            return "websocket cut " + (error == null ? "without SERVER_STOPPING" : "after " + error);
        } catch (IOException e) {
            return "websocket reset " + (error == null ? "without SERVER_STOPPING" : "after " + error);
        }
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed after " + head.length() + " bytes of the head");
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static byte[] readToEnd(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a cut: what came before it is what the stream got
        }
        return out.toByteArray();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }
}
