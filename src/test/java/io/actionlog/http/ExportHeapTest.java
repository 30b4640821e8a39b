package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports a client starts and does not read: each holds its matches and read buffers on the heap besides the chunks
 * the send budget counts, so they are held to that budget too, with its share per caller. Without it, a few hundred
 * such exports exhausted the heap and the server exited.
 */
class ExportHeapTest {
    private static final String EXPORT = "/api/v1/action/export/?action=Big";

    @TempDir
    Path dir;

    @Test
    void unreadExportsOfOneCallerAreHeldToItsShareAndOthersStillExport() throws Exception {
        // A budget of 16 MiB: a caller's share of 4 MiB holds one export's buffers, not two.
        try (TestServer server = TestServer.start(dir, Map.of("http.max_unsent_bytes", Integer.toString(16 << 20)))) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("aud", Role.AUDITOR);
            // About 16 MB of export: more than a loopback connection's buffers take, so an unread one stays open.
            String body = "unread export ".repeat(400 * 1024 / 14);
            for (int i = 0; i < 40; i++) {
                recorder.record(new JsonObject().put("action", "Big").put("body", body));
            }
            Client auditor = server.as("aud");
            try (Socket stalled = UnsentBytesTest.stalledRequest(server, EXPORT)) {
                // Its export is under way (and holds its room) before the caller asks again.
                assertEquals("HTTP/1.1 200 OK", statusLine(stalled));
                Client.Response refused = Await.until(() -> auditor.get(EXPORT), r -> r.status() == 503, 20,
                        "a second export of the same caller refused while the first is unread");
                assertEquals("1", refused.header("Retry-After"));
                Client.Response other = server.admin().get(EXPORT);
                assertEquals(200, other.status(), "another caller still exports");
                assertEquals(40, other.body().split("\n").length);
            }
            Client.Response again = Await.until(() -> auditor.get(EXPORT), r -> r.status() == 200, 20,
                    "the caller exports again once its unread export went away");
            assertEquals(40, again.body().split("\n").length);
        }
    }

    private static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = socket.getInputStream().read(); c != '\r' && c != -1; c = socket.getInputStream().read()) {
            line.append((char) c);
        }
        return line.toString();
    }
}
