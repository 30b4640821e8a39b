package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.http.ConnectionGuard;
import io.actionlog.http.FailureHandler;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that breaks its own connection (a bad chunk size, a close or a reset in the middle of a body) leaves one
 * short line at FINE, not a SEVERE record with a stack trace that would bury the server's own failures.
 */
class ClientFaultLoggingTest {
    private static final Logger FAILURES = Logger.getLogger(FailureHandler.class.getName());

    @TempDir
    Path dir;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    /** A permit per record of the failure handler's logger, so the test waits for the records themselves. */
    private final Semaphore failuresLogged = new Semaphore(0);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
            if (FAILURES.getName().equals(r.getLoggerName())) {
                failuresLogged.release();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @BeforeEach
    void listen() {
        level = FAILURES.getLevel();
        FAILURES.setLevel(Level.FINE);
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
        FAILURES.setLevel(level);
    }

    @Test
    void brokenRequestsAreLoggedAsOneLineWithoutStack() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String key = TestServer.ADMIN_KEY;
            for (String path : List.of("/api/v1/action/", "/api/v1/action/bulk/")) {
                String type = path.endsWith("bulk/") ? "application/x-ndjson" : "application/json";
                String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + key
                        + "\r\nContent-Type: " + type + "\r\nExpect: 100-continue\r\n";
                send(server.port(), head + "Transfer-Encoding: chunked\r\n\r\n", "zz\r\n", false);
                send(server.port(), head + "Content-Length: 100\r\n\r\n", "{\"a", false);
                send(server.port(), head + "Content-Length: 100\r\n\r\n", "{\"a", true);
            }
            assertTrue(failuresLogged.tryAcquire(6, 30, TimeUnit.SECONDS), () -> describe(records));
            List<LogRecord> failures = failures();
            assertEquals(6, failures.size(), () -> describe(failures));
            for (LogRecord r : failures) {
                assertTrue(r.getLevel().intValue() < Level.INFO.intValue(), () -> describe(failures));
                assertNull(r.getThrown(), () -> describe(failures));
                assertTrue(r.getMessage().startsWith("client fault on POST /api/v1/action/"), r.getMessage());
            }
            assertTrue(records.stream().noneMatch(r -> r.getLevel() == Level.SEVERE || r.getThrown() != null),
                    () -> describe(records));
        }
    }

    @Test
    void aHeaderWithAControlCharacterIsTheClientsAndItsValueIsNotLogged() throws Exception {
        Logger connections = Logger.getLogger(ConnectionGuard.class.getName());
        Level before = connections.getLevel();
        connections.setLevel(Level.FINE);
        try (TestServer server = TestServer.start(dir)) {
            String key = TestServer.ADMIN_KEY;
            String head = "GET /api/v1/action/ HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + key + "\u000b\r\n\r\n";
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                String status = RawHttp.line(s.getInputStream());
                assertTrue(status.startsWith("HTTP/1.1 400"), status);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.stream().noneMatch(r -> connections.getName().equals(r.getLoggerName()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<LogRecord> logged = records.stream()
                    .filter(r -> connections.getName().equals(r.getLoggerName())).toList();
            assertEquals(1, logged.size(), () -> describe(records));
            LogRecord r = logged.get(0);
            assertTrue(r.getLevel().intValue() < Level.INFO.intValue(), () -> describe(logged));
            assertNull(r.getThrown(), () -> describe(logged));
            assertTrue(records.stream().noneMatch(x -> String.valueOf(x.getMessage()).contains(key)
                    || x.getThrown() != null && String.valueOf(x.getThrown().getMessage()).contains(key)),
                    () -> describe(records));
        } finally {
            connections.setLevel(before);
        }
    }

    private List<LogRecord> failures() {
        return records.stream().filter(r -> FAILURES.getName().equals(r.getLoggerName())).toList();
    }

    /**
     * Sends the head, waits for 100 Continue (the server is reading the request), sends the start of the body, then
     * waits for the server to answer or close, or resets the connection.
     */
    private static void send(int port, String head, String body, boolean reset) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String line = RawHttp.line(in);
            assertTrue(line.startsWith("HTTP/1.1 100"), line);
            RawHttp.line(in);
            out.write(body.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (reset) {
                s.setSoLinger(true, 0);
                return;
            }
            s.shutdownOutput();
            while (in.read() != -1) {
                // until the server closes
            }
        }
    }

    private static String describe(List<LogRecord> rs) {
        StringBuilder sb = new StringBuilder();
        rs.forEach(r -> sb.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ")
                .append(r.getMessage()).append(r.getThrown() == null ? "" : " [" + r.getThrown() + "]").append('\n'));
        return sb.toString();
    }
}
