package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 over cleartext is off: an upgrade request gets plain HTTP/1.1, and an HTTP/2 preface no HTTP/2 at all. */
class Http2CleartextTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anH2cUpgradeRequestIsAnsweredInHttp11() throws IOException {
        String reply = exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", "}");
        assertTrue(reply.startsWith("HTTP/1.1 200 "), reply);
        assertTrue(reply.contains("\"status\":\"UP\""), reply);
    }

    @Test
    void anHttp2PrefaceGetsNoHttp2Settings() throws IOException {
        String reply = exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\r\n\r\n");
        // Netty's HTTP/1 decoder answers in the version it was asked in, as text; HTTP/2 would start with a
        // binary SETTINGS frame.
        assertTrue(reply.startsWith("HTTP/2.0 501 ") || reply.startsWith("HTTP/1.1 4"), reply);
    }

    /** What the server sends back, up to {@code until} or until it closes the connection. */
    private static String exchange(String request, String until) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; !got.toString(StandardCharsets.ISO_8859_1).contains(until) && (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
