package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.MetricsText;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Past http.max_connections a new connection is closed at once, and counted; the connections within the cap are
 * served as usual, and once they go the server takes new ones again. /health shares the cap (it is not exempt).
 */
class ConnectionCapTest {
    private static final int CAP = 20;
    private static final int OPENED = 50;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    @Test
    void connectionsBeyondTheCapAreClosedAndTheServerServesOn() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("http.max_connections", Integer.toString(CAP),
                "http.header_timeout_seconds", "600", "http.idle_timeout_seconds", "600"));
             Selector selector = Selector.open()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            List<SocketChannel> all = new ArrayList<>();
            for (int i = 0; i < OPENED; i++) {
                SocketChannel c = SocketChannel.open(address);
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ);
                all.add(c);
            }
            Set<SocketChannel> closed = closedByServer(selector, OPENED - CAP);
            assertEquals(OPENED - CAP, closed.size());

            List<SocketChannel> kept = all.stream().filter(c -> !closed.contains(c)).toList();
            selector.keys().forEach(SelectionKey::cancel);
            selector.selectNow();
            for (SocketChannel c : kept) {
                c.configureBlocking(true);
                c.write(ByteBuffer.wrap("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                String status = RawHttp.line(Channels.newInputStream(c));
                assertTrue(status.startsWith("HTTP/1.1 200"), "a connection within the cap is served: " + status);
            }
            assertEquals("", healthOnANewConnection(server.port()), "while full, a new connection is closed at once");

            for (SocketChannel c : all) {
                c.close();
            }
            // The server learns of the closes on its event loops and tells no one outside: the only sign is that a
            // new connection is served again, so poll for it, briefly, until the deadline.
            long deadline = System.nanoTime() + WAIT_NANOS;
            String status;
            while (!(status = healthOnANewConnection(server.port())).startsWith("HTTP/1.1 200")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(status.startsWith("HTTP/1.1 200"), "served again once the connections went: " + status);
            try (RawHttp raw = new RawHttp(server.port())) {
                String metrics = raw.exchange("GET", "/metrics".getBytes(StandardCharsets.US_ASCII), Map.of(), null)
                        .text();
                assertTrue(MetricsText.value(metrics, "actionlog_http_connections_refused_total") >= OPENED - CAP + 1,
                        metrics);
            }
        }
    }

    /** Waits until {@code count} of the selector's connections have been closed by the server. */
    private static Set<SocketChannel> closedByServer(Selector selector, int count) throws IOException {
        Set<SocketChannel> closed = new HashSet<>();
        ByteBuffer sink = ByteBuffer.allocate(1024);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (closed.size() < count && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel c = (SocketChannel) key.channel();
                sink.clear();
                int n;
                try {
                    n = c.read(sink);
                } catch (IOException e) {
                    n = -1;
                }
                if (n < 0) {
                    closed.add(c);
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
        return closed;
    }

    /** The status line of GET /health on a new connection, or "" when the server closed it without an answer. */
    private static String healthOnANewConnection(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return RawHttp.line(s.getInputStream());
        } catch (IOException e) {
            return "";
        }
    }
}
