package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Await;
import io.actionlog.support.MetricsText;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection cannot be held without sending requests: a new one gets http.header_timeout_seconds for its first
 * request's headers, a kept-alive one http.idle_timeout_seconds between requests, and a request whose body stops
 * coming as long. Live streams keep their connections past both, governed by their own pings.
 */
class ConnectionTimeoutsTest {
    private static final int WAIT_SECONDS = 30;

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        // One event loop: one sweep sees every connection, so when one is closed the older ones were checked too.
        server = TestServer.start(dir, Map.of("http.header_timeout_seconds", "1", "http.idle_timeout_seconds", "1",
                "http.event_loops", "1"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void halfSentHeadersAreClosedWithinTheHeaderTimeout() throws Exception {
        long before = counter("timed_out_total{reason=\"header\"}");
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
            assertClosed(s);
        }
        assertTrue(counter("timed_out_total{reason=\"header\"}") > before);
    }

    @Test
    void aTrickleOfHeaderBytesDoesNotKeepTheConnection() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < WAIT_SECONDS * 20; i++) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(50); // the slow client's pace, not a wait: a byte every 50 ms
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server, as it should be
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            assertClosed(s);
            trickle.interrupt();
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        long before = counter("timed_out_total{reason=\"idle\"}");
        try (Socket s = connect()) {
            assertTrue(get(s, "/health").startsWith("HTTP/1.1 200"));
            assertClosed(s);
        }
        assertTrue(counter("timed_out_total{reason=\"idle\"}") > before);
    }

    @Test
    void aBodyThatStopsComingIsClosedAfterTheIdleTimeout() throws Exception {
        long before = counter("timed_out_total{reason=\"stalled\"}");
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /api/v1/action/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token "
                    + TestServer.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a")
                    .getBytes(StandardCharsets.US_ASCII));
            assertClosed(s);
        }
        assertTrue(counter("timed_out_total{reason=\"stalled\"}") > before);
    }

    /**
     * A page of 4 MB asked for on a socket with a tiny receive buffer, never read: the server's close cannot go out
     * behind it, so the connection is cut, giving back its place and the page's unsent bytes.
     */
    @Test
    void anAnswerTheClientNeverReadsIsCutAfterTheIdleTimeout() throws Exception {
        String body = "unread answer ".repeat(400 * 1024 / 14);
        for (int i = 0; i < 12; i++) {
            server.admin().record(new JsonObject().put("action", "Unread").put("body", body));
        }
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            s.getOutputStream().write(("GET /api/v1/action/?action=Unread&limit=12 HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Await.until(() -> unsent(), held -> held > 1 << 20, WAIT_SECONDS, "the unread page counted");
            Await.until(() -> unsent(), held -> held == 0, WAIT_SECONDS, "the unread page's bytes given back");
            assertTrue(writeFails(s), "the server closed the connection");
        }
    }

    /** Bytes of answers handed to connections and not yet taken by their clients. */
    private static double unsent() {
        try (RawHttp raw = new RawHttp(server.port())) {
            String text = raw.exchange("GET", "/metrics".getBytes(StandardCharsets.US_ASCII), Map.of(), null).text();
            return MetricsText.value(text, "actionlog_http_unsent_bytes");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether a few bytes can no longer be written: the first write after the close draws a reset, the next fails. */
    private static boolean writeFails(Socket s) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void liveStreamsOutliveTheHttpTimeouts() throws Exception {
        String auth = "Token " + TestServer.ADMIN_KEY;
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", auth)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/events/"), collect(frames))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        try (Socket sse = connect()) {
            sse.getOutputStream().write(("GET /api/v1/events/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = sse.getInputStream();
            assertNotNull(lineStartingWith(in, ": stream open"));
            // Both streams are older than this connection: once the idle timeout closed it, it had passed for them.
            try (Socket plain = connect()) {
                get(plain, "/health");
                assertClosed(plain);
            }
            String uuid = server.admin().record(new JsonObject().put("action", "after the timeout")).getString("uuid");
            assertTrue(lineStartingWith(in, "data: ").contains(uuid));
            String frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(frame, "the WebSocket is still open and delivering");
            assertTrue(frame.contains(uuid), frame);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        // The server counts a connection closed on its event loop and signals nothing outside but the gauge: poll it,
        // briefly, until the deadline.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        // One reading: a second one would race with the close of the connection that asked the first.
        long open;
        while ((open = counter("open")) > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, open, "closed streams give their connections back; only the one asking is left");
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(WAIT_SECONDS * 1000);
        return s;
    }

    /** Waits until the server closes the connection; fails if it is still open after the test's wait. */
    private static void assertClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() != -1) {
                // whatever the server said before closing
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("still open after " + WAIT_SECONDS + " s", e);
        } catch (IOException e) {
            // reset: closed as well
        }
    }

    /** Sends a GET and reads its response head and body (Content-Length), leaving the connection open. */
    private static String get(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        int length = 0;
        for (String line; !(line = line(in)).isEmpty(); ) {
            head.append(line).append('\n');
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String lineStartingWith(InputStream in, String prefix) throws IOException {
        for (String line; ; ) {
            line = line(in);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c == -1) {
                throw new IOException("closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static WebSocket.Listener collect(LinkedBlockingQueue<String> frames) {
        return new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(text.toString());
                    text.setLength(0);
                }
                socket.request(1);
                return null;
            }
        };
    }

    /** A value of /metrics: {@code actionlog_http_connections_} followed by {@code suffix}. */
    static long counter(String suffix) throws IOException {
        try (RawHttp raw = new RawHttp(server.port())) {
            String text = raw.exchange("GET", "/metrics".getBytes(StandardCharsets.US_ASCII), Map.of(), null).text();
            return (long) MetricsText.value(text, "actionlog_http_connections_" + suffix.trim());
        }
    }
}
