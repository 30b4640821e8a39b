package io.actionlog.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpListenersTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void connectionsAreServedByEveryEventLoopOnOnePort() throws Exception {
        List<HttpServer> servers = HttpListeners.listen(vertx, 3, "127.0.0.1", 0, () -> vertx.createHttpServer()
                .requestHandler(req -> req.response().end(Thread.currentThread().getName())));
        assertEquals(3, servers.size());
        int port = servers.get(0).actualPort();
        assertTrue(port > 0);
        servers.forEach(s -> assertEquals(port, s.actualPort(), "every server on the first one's port"));

        Set<String> threads = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            threads.add(threadOfNewConnection(port));
        }
        assertEquals(3, threads.size(), "connections in turn on three event loops: " + threads);
    }

    @Test
    void oneEventLoopIsOneServer() throws Exception {
        List<HttpServer> servers = HttpListeners.listen(vertx, 1, "127.0.0.1", 0, () -> vertx.createHttpServer()
                .requestHandler(req -> req.response().end(Thread.currentThread().getName())));
        assertEquals(1, servers.size());
        Set<String> threads = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            threads.add(threadOfNewConnection(servers.get(0).actualPort()));
        }
        assertEquals(1, threads.size(), threads.toString());
    }

    /** One request on a fresh connection; the body names the thread that answered it. */
    private static String threadOfNewConnection(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line;
            String last = null;
            while ((line = in.readLine()) != null) {
                last = line;
            }
            return last;
        }
    }
}
