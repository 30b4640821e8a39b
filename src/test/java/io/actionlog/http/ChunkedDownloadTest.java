package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.LogCapture;
import io.actionlog.support.RawHttp;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkedDownloadTest {
    /** How long the client waits for the next byte before it calls the download stalled. */
    private static final int STALL_MILLIS = 20_000;
    /** Chunks a paused download may hold: those in writes not yet handed to the socket, and those read ahead. */
    private static final long MOST_CHUNKS = ChunkedDownload.WRITING_CHUNKS + ChunkedDownload.HELD_CHUNKS;
    /** How long the client stays paused once the download is full, watching that it takes no more memory. */
    private static final long PAUSE_MILLIS = 500;

    @TempDir
    Path dir;

    /**
     * A small body is often read before the read's handler is set, which then runs at once, inside the pump that
     * started the read: that pump must not end the response a second time (a failure logged per request).
     */
    @Test
    void aBodyReadAtOnceEndsItsResponseOnce() throws Exception {
        LogCapture failures = LogCapture.of(FailureHandler.class.getName());
        try (failures; TestServer server = TestServer.start(dir)) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            String uri = "/api/v1/action/" + recorder.record(new JsonObject().put("action", "Small Logs"))
                    .getString("uuid") + "/";
            recorder.postText(uri + "logs/", "one line\n");
            for (int i = 0; i < 300; i++) {
                Client.Response logs = recorder.get(uri + "logs/");
                assertEquals(200, logs.status());
                assertEquals("one line\n", logs.body());
            }
        }
        assertEquals(List.of(), failures.messages());
    }

    @Test
    void aPausedClientPinsNoMoreThanTheWriteQueueAndTheChunksReadAheadThenResumesAndGetsItAll()
            throws Exception {
        // About 20 MB in actions of 400 KB, chunks of about 1 MiB: more than the socket's buffers (a few MB on
        // loopback), the write queue and the chunks read ahead take together while the client does not read.
        int n = 50;
        try (TestServer server = TestServer.start(dir)) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("aud", Role.AUDITOR);
            List<String> uuids = new ArrayList<>();
            String body = "paused client ".repeat(400 * 1024 / 14);
            for (int i = 0; i < n; i++) {
                uuids.add(recorder.record(new JsonObject().put("action", "Pause Probe").put("body", body)
                        .put("start_date", String.format("2027-01-01T%02d:%02d:00Z", i / 60, i % 60)))
                        .getString("uuid"));
            }
            try (Socket socket = new Socket()) {
                // A small receive buffer, so that the server's writes back up soon after the client stops reading.
                socket.setReceiveBufferSize(16 * 1024);
                socket.setSoTimeout(STALL_MILLIS);
                socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                socket.getOutputStream().write(("GET /api/v1/action/export/?action=Pause%20Probe&order_by=start_date"
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ApiKey aud:" + server.key("aud")
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // The client reads nothing until the download holds as many chunks as it may: those in writes the
                // socket has not taken and those read ahead while the writes were full. Then no read runs, and only a
                // completed write can start the next; while the client stays paused, nothing more is read.
                Await.until(ChunkedDownloadTest::chunksInMemory, held -> held >= MOST_CHUNKS,
                        20, "the download's chunks filling its writes and read-ahead while the client waits");
                long most = 0;
                for (long end = System.nanoTime() + PAUSE_MILLIS * 1_000_000; System.nanoTime() < end; ) {
                    most = Math.max(most, chunksInMemory());
                    Thread.onSpinWait();
                }
                assertEquals(MOST_CHUNKS, most, "chunks held while the client was paused");
                String exported = readChunkedBody(new BufferedInputStream(socket.getInputStream(), 65536));
                String[] lines = exported.split("\n");
                assertEquals(n, lines.length, "every action, once");
                for (int i = 0; i < n; i++) {
                    assertEquals(uuids.get(i), new JsonObject(lines[i]).getString("uuid"), "line " + i);
                }
                assertTrue(exported.endsWith("\n"));
            }
        }
    }

    private static long chunksInMemory() {
        return ChunkedDownload.chunksInMemory();
    }

    /** The response's body, decoded from chunked encoding; fails naming what arrived if the server stops sending. */
    private static String readChunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            String status = RawHttp.line(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            while (!RawHttp.line(in).isEmpty()) {
                // headers: the body is chunked, as every download is
            }
            for (int size; (size = Integer.parseInt(RawHttp.line(in).split(";")[0].trim(), 16)) > 0; ) {
                body.writeBytes(in.readNBytes(size));
                RawHttp.line(in);
            }
            RawHttp.line(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the download stalled: nothing more within " + STALL_MILLIS / 1000
                    + " s after " + body.size() + " bytes of the body (reading not restarted after a full write"
                    + " queue?)", e);
        }
        return body.toString(StandardCharsets.UTF_8);
    }
}
