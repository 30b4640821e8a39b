package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that ask for large answers and never read them: the bytes pinned in their connections are held, for the
 * whole process, to {@code http.max_unsent_bytes}. Past it a page is a 503 with Retry-After (the server's memory
 * stays bounded however many such clients come), a download waits for room rather than reading ahead, and both go
 * on once the stalled client goes away.
 */
class UnsentBytesTest {
    private static final int PAGE_BYTES = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void clientsThatDoNotReadPinNoMoreThanTheBudgetAndOthersGet503UntilTheyGo() throws Exception {
        // 40 actions of 400 KB: a page of about 16 MB, more than a loopback socket's buffers take, and within a
        // megabyte of the budget, so that a download's chunk does not fit beside it.
        try (TestServer server = TestServer.start(dir, Map.of("http.max_page_bytes", Integer.toString(PAGE_BYTES),
                "http.max_unsent_bytes", Integer.toString(PAGE_BYTES)))) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("aud", Role.AUDITOR);
            String body = "unread answer ".repeat(400 * 1024 / 14);
            String big = null;
            for (int i = 0; i < 40; i++) {
                big = recorder.record(new JsonObject().put("action", "Big").put("body", body)).getString("resource_uri");
            }
            recorder.record(new JsonObject().put("action", "Small"));
            String page = "/api/v1/action/?action=Big&limit=40";
            Client auditor = server.as("aud");
            assertEquals(200, auditor.get(page).status(), "alone, the page goes out");
            Await.until(() -> unsent(server), held -> held == 0, 20, "the page's bytes given back once it was read");

            try (Socket stalled = stalledRequest(server, page)) {
                Await.until(() -> unsent(server), held -> held > PAGE_BYTES * 0.9, 20, "the unread page counted");
                Client.Response refused = Await.until(() -> auditor.get(page), r -> r.status() == 503, 20,
                        "a second large page refused while the first is unread");
                assertEquals("1", refused.header("Retry-After"));
                assertTrue(refused.json().getString("error").contains("try again"), refused.body());
                // Nothing large is built while the budget is spent: a proof or a detail is refused before any work.
                Client.Response proof = auditor.get(big + "proof/");
                assertEquals(503, proof.status(), proof.body());
                assertEquals(503, auditor.get(big).status());
                assertEquals(200, server.withHeader(null).get("/health").status());

                // A download's first chunk fits beside the stalled page; the next waits for room.
                double refusedBefore = metric(server, "actionlog_http_unsent_refused_total");
                CompletableFuture<Client.Response> export = CompletableFuture.supplyAsync(
                        () -> auditor.get("/api/v1/action/export/?action=Big"));
                // The download asks again every 100 ms while it waits, each time counted as held back.
                Await.until(() -> metric(server, "actionlog_http_unsent_refused_total"),
                        n -> n >= refusedBefore + 5, 20, "the download asking for room again and again");
                assertFalse(export.isDone(), "the download waits while the budget is spent");

                stalled.close();
                Client.Response exported = export.get(30, TimeUnit.SECONDS);
                assertEquals(200, exported.status());
                assertEquals(40, exported.body().split("\n").length, "every action, once the stalled client left");
            }
            Await.until(() -> auditor.get(page).status(), status -> status == 200, 20,
                    "the page answered again once the stalled client went away");
            assertEquals(200, auditor.get("/api/v1/action/?action=Small").status());
        }
    }

    /** One client's unread answers take at most a quarter of the budget: another caller's page still goes out. */
    @Test
    void oneCallersUnreadAnswersLeaveRoomForOthers() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("http.max_page_bytes", Integer.toString(PAGE_BYTES),
                "http.max_unsent_bytes", Long.toString(4L * PAGE_BYTES)))) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("aud", Role.AUDITOR);
            String body = "unread answer ".repeat(400 * 1024 / 14);
            for (int i = 0; i < 40; i++) {
                recorder.record(new JsonObject().put("action", "Big").put("body", body));
            }
            String page = "/api/v1/action/?action=Big&limit=40";
            try (Socket stalled = stalledRequest(server, page)) {
                Await.until(() -> unsent(server), held -> held > PAGE_BYTES * 0.9, 20, "the unread page counted");
                Client.Response same = server.as("aud").get(page);
                assertEquals(503, same.status(), "the stalled caller's share is spent");
                assertEquals(200, server.admin().get(page).status(), "another caller's page goes out");
            }
        }
    }

    /** The bytes the server counts as handed to connections and not yet taken, from its metrics. */
    private static double unsent(TestServer server) {
        return metric(server, "actionlog_http_unsent_bytes");
    }

    private static double metric(TestServer server, String name) {
        for (String line : server.withHeader(null).get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    /** A request whose answer is never read: a small receive buffer, so that the server's write backs up soon. */
    static Socket stalledRequest(TestServer server, String uri) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.getOutputStream().write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ApiKey aud:"
                + server.key("aud") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }
}
