package io.actionlog.server;

import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop while clients keep connecting: the connections that arrive as the HTTP servers stop are closed and counted
 * in one line, not logged one by one with a stack trace each (Netty's warning, dozens at a stop under load).
 */
class StopWhileConnectingTest {
    @TempDir
    Path dir;

    @Test
    void connectionsArrivingDuringTheStopAreCountedInOneLine() throws Exception {
        boolean counted = false;
        // The window is a few milliseconds wide: a stop may fall where no connection arrives, so a few are tried.
        for (int attempt = 0; attempt < 10 && !counted; attempt++) {
            Path data = Files.createDirectories(dir.resolve("run" + attempt));
            try (LogCapture netty = LogCapture.of("io.netty.bootstrap.ServerBootstrap");
                 LogCapture server = LogCapture.of(Server.class.getName())) {
                TestServer s = TestServer.start(data);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong connected = new AtomicLong();
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Thread t = new Thread(() -> connectUntil(stop, s.port(), connected), "client-" + i);
                    t.start();
                    clients.add(t);
                }
                try {
                    long wanted = connected.get() + 200;
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (connected.get() < wanted && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                } finally {
                    s.close();
                    stop.set(true);
                    for (Thread t : clients) {
                        t.join(10_000);
                    }
                }
                assertFalse(netty.any("Failed to register an accepted channel"), netty.messages().toString());
                counted = server.any("arrived while the HTTP servers stopped were closed unanswered");
            }
        }
        assertTrue(counted, "no stop out of 10 fell while connections arrived");
    }

    private static void connectUntil(AtomicBoolean stop, int port, AtomicLong connected) {
        byte[] request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (!stop.get()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                connected.incrementAndGet();
            } catch (IOException e) {
                // refused or reset: the server is stopping, which is what this test is about
                connected.incrementAndGet();
            }
        }
    }
}
