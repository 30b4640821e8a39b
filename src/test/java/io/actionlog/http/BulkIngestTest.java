package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.http.tutum.BulkIngest;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkIngestTest {
    private static final String NDJSON = "application/x-ndjson";

    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("data"));
        recorder = server.addUser("rec", Role.RECORDER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long total(String query) {
        return server.admin().get("/api/v1/action/" + query).json().getJsonObject("meta").getLong("total_count");
    }

    @Test
    void everyGoodLineIsRecordedAndEveryBadLineIsReportedByNumber() {
        long before = total("");
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            String line = switch (i % 1000) {
                case 7 -> "{\"action\":";
                case 8 -> "{\"user\":\"x\"}";
                case 9 -> "{\"action\":\"x\",\"ip\":\"1.2.3.999\"}";
                default -> new JsonObject().put("action", "Bulk " + i).put("object", "/bulk/" + (i % 10) + "/").encode();
            };
            body.append(line).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        body.append("\n");
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body.toString(), NDJSON);
        assertEquals(200, r.status(), r.body());
        JsonObject result = r.json();
        assertEquals(5001, result.getInteger("lines"), "the blank line at the end is a line too");
        assertEquals(4985, result.getInteger("accepted"));
        assertEquals(4985, result.getInteger("created"));
        assertEquals(15, result.getInteger("rejected"));
        JsonArray errors = result.getJsonArray("errors");
        assertEquals(7, errors.getJsonObject(0).getInteger("line"));
        assertTrue(errors.getJsonObject(0).getString("error").startsWith("body"));
        assertEquals(8, errors.getJsonObject(1).getInteger("line"));
        assertTrue(errors.getJsonObject(1).getString("error").startsWith("action"));
        assertEquals(9, errors.getJsonObject(2).getInteger("line"));
        assertTrue(errors.getJsonObject(2).getString("error").startsWith("ip"));
        assertEquals(before + 4985, total(""));
        assertEquals(500, total("?object=/bulk/3/") - 0);
    }

    @Test
    void linesAreRecordedInLineOrderAcrossChunks() {
        int n = 3 * BulkIngest.CHUNK + 5;
        List<String> uuids = new ArrayList<>(n);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String uuid = UUID.randomUUID().toString();
            uuids.add(uuid);
            body.append(new JsonObject().put("uuid", uuid).put("action", "Ordered").put("object", "/order/")
                    .put("start_date", "2026-01-01T00:00:00Z").encode()).append('\n');
        }
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body.toString(), NDJSON).json();
        assertEquals(n, r.getInteger("accepted"), r.encode());
        // One start date for all, so the order is the ids' order, which is the order of the appends.
        List<String> listed = new ArrayList<>(n);
        for (int offset = 0; offset < n; offset += 1000) {
            JsonArray page = server.admin().get("/api/v1/action/?object=/order/&order_by=start_date&limit=1000&offset="
                    + offset).json().getJsonArray("objects");
            for (int i = 0; i < page.size(); i++) {
                listed.add(page.getJsonObject(i).getString("uuid"));
            }
        }
        assertEquals(uuids, listed);
    }

    @Test
    void aLastLineWithoutNewlineCountsAndBlankLinesAreSkipped() {
        String a = new JsonObject().put("action", "First").encode();
        String b = new JsonObject().put("action", "Last").encode();
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", a + "\n\n\r\n" + b, NDJSON).json();
        assertEquals(4, r.getInteger("lines"), r.encode());
        assertEquals(2, r.getInteger("accepted"), r.encode());
        assertEquals(0, r.getInteger("rejected"), r.encode());
    }

    @Test
    void aLineOverTheBodyLimitIsRefusedAloneWithoutBeingKept() {
        String big = new JsonObject().put("action", "Big").put("body", "x".repeat(1_100_000)).encode();
        String ok = new JsonObject().put("action", "Small").encode();
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", ok + "\n" + big + "\n" + ok + "\n" + big,
                NDJSON).json();
        assertEquals(4, r.getInteger("lines"), r.encode());
        assertEquals(2, r.getInteger("accepted"), r.encode());
        assertEquals(2, r.getInteger("rejected"), r.encode());
        JsonArray errors = r.getJsonArray("errors");
        assertEquals(2, errors.getJsonObject(0).getInteger("line"));
        assertTrue(errors.getJsonObject(0).getString("error").contains("http.max_body_bytes"), r.encode());
        assertEquals(4, errors.getJsonObject(1).getInteger("line"));
    }

    @Test
    void aLineThatPassesTheLimitJustBeforeItsEndIsRefusedByItsOwnNumber() {
        // One byte over the limit: the limit is passed in the same network piece as the line's end, whatever the
        // piece boundaries, which once counted the line as blank and refused the next one in its place.
        String head = "{\"action\":\"Big\",\"body\":\"";
        String big = head + "x".repeat(1_048_577 - head.length() - 2) + "\"}";
        String ok = new JsonObject().put("action", "Small").encode();
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", ok + "\n" + big + "\n" + ok + "\n",
                NDJSON).json();
        assertEquals(3, r.getInteger("lines"), r.encode());
        assertEquals(2, r.getInteger("accepted"), r.encode());
        assertEquals(1, r.getInteger("rejected"), r.encode());
        assertEquals(2, r.getJsonArray("errors").getJsonObject(0).getInteger("line"), r.encode());
    }

    @Test
    void repeatedUuidsAreIdempotentOrConflictLineByLine() {
        String uuid = UUID.randomUUID().toString();
        String same = new JsonObject().put("uuid", uuid).put("action", "Once").encode();
        String other = new JsonObject().put("uuid", uuid).put("action", "Twice").encode();
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", same + "\n" + same + "\n" + other + "\n",
                NDJSON).json();
        assertEquals(2, r.getInteger("accepted"));
        assertEquals(1, r.getInteger("created"));
        assertEquals(1, r.getInteger("rejected"));
        assertEquals(3, r.getJsonArray("errors").getJsonObject(0).getInteger("line"));
        assertEquals(1, total("?uuid=" + uuid));
    }

    /**
     * The errors listed are those of the lowest line numbers, however they were found: here a batch's unreadable
     * lines are refused when it is parsed, before the writer refuses the conflicts on the lines ahead of them.
     */
    @Test
    void theErrorsListedAreTheFirstByLineNumber() {
        List<String> uuids = new ArrayList<>();
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            uuids.add(UUID.randomUUID().toString());
            first.append(new JsonObject().put("uuid", uuids.get(i)).put("action", "First").encode()).append('\n');
        }
        assertEquals(1000, recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", first.toString(), NDJSON).json()
                .getInteger("created"));
        StringBuilder body = new StringBuilder();
        uuids.forEach(u -> body.append(new JsonObject().put("uuid", u).put("action", "Other").encode()).append('\n'));
        body.append("{\"action\":\n".repeat(500));
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body.toString(), NDJSON).json();
        assertEquals(1500, r.getInteger("rejected"));
        JsonArray errors = r.getJsonArray("errors");
        assertEquals(1000, errors.size());
        for (int i = 0; i < errors.size(); i++) {
            assertEquals(i + 1, errors.getJsonObject(i).getInteger("line"));
            assertTrue(errors.getJsonObject(i).getString("error").contains("other content"));
        }
    }

    @Test
    void onlyRecordersMayBulkAndOnlyNdjsonIsAccepted() throws Exception {
        assertEquals(415, recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", "{\"action\":\"x\"}",
                "application/json").status());
        Client user = server.addUser("ann", Role.USER);
        assertEquals(405, user.send(HttpMethod.POST, "/api/v1/action/bulk/", "{\"action\":\"x\"}", NDJSON).status());
        JsonObject empty = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", "", NDJSON).json();
        assertEquals(0, empty.getInteger("accepted"));
    }

    @Test
    void generatedActionsLoadThroughBulk() throws Exception {
        Path file = dir.resolve("gen.ndjson");
        assertEquals(0, Cli.run("generate", "--count", "3000", "--seed", "7", "--out", file.toString()).code());
        List<String> lines = Files.readAllLines(file);
        assertEquals(3000, lines.stream().filter(l -> !l.isBlank()).count());
        double bytesPerLine = Files.size(file) / 3000.0;
        assertTrue(bytesPerLine > 400 && bytesPerLine < 600, "about 400 bytes of values, 500 as a JSON line: " + bytesPerLine);
        long before = total("?user__none=1");
        JsonObject r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", Files.readString(file), NDJSON).json();
        assertEquals(3000, r.getInteger("accepted"), r.encode());
        long success = total("?state=Success&action__none=1");
        assertTrue(success >= 0.75 * 3000 && total("") == before + 3000, "mix of states");
        Path again = dir.resolve("gen2.ndjson");
        assertEquals(0, Cli.run("generate", "--count", "3000", "--seed", "7", "--out", again.toString()).code());
        assertEquals(Files.readString(file), Files.readString(again), "same seed, same actions");
    }

    @Test
    void aClientThatExpects100ContinueIsToldToSendItsBody() throws Exception {
        byte[] body = (new JsonObject().put("action", "Expecting").encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head("ApiKey rec:" + server.key("rec"), body.length));
            out.flush();
            assertEquals("HTTP/1.1 100 Continue", in.readLine(), "the interim answer comes before any body byte");
            assertEquals("", in.readLine());
            out.write(body);
            out.flush();
            assertEquals("HTTP/1.1 200 OK", in.readLine());
        }
    }

    @Test
    void aRefusedClientThatExpects100ContinueGetsTheRefusalInstead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(head("ApiKey rec:wrong-key-0123456789abcdef", 100));
            socket.getOutputStream().flush();
            assertEquals("HTTP/1.1 401 Unauthorized", in.readLine());
        }
    }

    @Test
    void aBodyDeclaredLargerThanTheBulkLimitIsRefusedBeforeItIsSent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(head("ApiKey rec:" + server.key("rec"), BulkIngest.MAX_BYTES + 1));
            socket.getOutputStream().flush();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", in.readLine(), "no 100 Continue: the body stays home");
        }
    }

    @Test
    void aStreamedBodyThatGrowsPastTheBulkLimitIsAnsweredWith413AndNotReadOn() throws Exception {
        long before = total("?action=Before%20the%20limit");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            out.write(("POST /api/v1/action/bulk/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ApiKey rec:"
                    + server.key("rec") + "\r\nContent-Type: " + NDJSON + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, (new JsonObject().put("action", "Before the limit").encode() + "\n").getBytes(StandardCharsets.UTF_8));
            // No length announced, so only the count of bytes as they arrive can stop it: one line with no end,
            // which the server skips unparsed, a mebibyte at a time, 256 MiB past the limit if it were all read.
            // The server answers at the limit and closes the connection a little after, so this write fails.
            long[] sent = {0};
            java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
                byte[] mebibyte = new byte[1 << 20];
                java.util.Arrays.fill(mebibyte, (byte) 'x');
                try {
                    for (; sent[0] <= BulkIngest.MAX_BYTES + (256L << 20); sent[0] += mebibyte.length) {
                        chunk(out, mebibyte);
                    }
                    chunk(out, "\n{\"action\":\"After the limit\"}\n".getBytes(StandardCharsets.UTF_8));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", in.readLine());
            int length = -1;
            for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).strip());
                }
            }
            assertTrue(length > 0, "a JSON answer of known length");
            char[] body = new char[length]; // ASCII: one char a byte
            for (int at = 0, n; at < length; at += n) {
                n = in.read(body, at, length - at);
                assertTrue(n > 0, "the answer ends early");
            }
            JsonObject r = new JsonObject(new String(body));
            assertEquals(1, r.getInteger("accepted"), r.encode());
            assertTrue(r.getString("error").contains(String.valueOf(BulkIngest.MAX_BYTES)), r.encode());
            java.util.concurrent.ExecutionException cut = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> writing.get(60, java.util.concurrent.TimeUnit.SECONDS),
                    "the server closed the connection rather than read on");
            assertTrue(cut.getCause() instanceof java.io.UncheckedIOException, cut.toString());
            assertTrue(sent[0] < BulkIngest.MAX_BYTES + BulkIngest.LINGER_BYTES + (64L << 20),
                    "read at most a little past the limit: " + sent[0]);
        }
        assertEquals(before + 1, total("?action=Before%20the%20limit"), "the line before the limit is kept");
        assertEquals(0, total("?action=After%20the%20limit"));
    }

    @Test
    void blankLinesCountTowardTheLineLimitToo() {
        String body = "\n".repeat(BulkIngest.MAX_LINES + 5);
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body, NDJSON);
        assertEquals(413, r.status(), r.body());
        assertEquals(BulkIngest.MAX_LINES + 1, r.json().getInteger("lines"), r.body());
    }

    @Test
    void aBodyOfMoreLinesThanTheBulkLimitIsAnsweredWith413() {
        // Blank lines count toward the limit without being parsed: the smallest body that passes it.
        String body = "\n".repeat(BulkIngest.MAX_LINES) + new JsonObject().put("action", "Past the line limit").encode();
        Client.Response r = recorder.send(HttpMethod.POST, "/api/v1/action/bulk/", body, NDJSON);
        assertEquals(413, r.status(), r.body());
        assertEquals(0, r.json().getInteger("accepted"), r.body());
        assertTrue(r.json().getString("error").contains("at most " + BulkIngest.MAX_LINES + " lines"), r.body());
        assertEquals(BulkIngest.MAX_LINES + 1, r.json().getInteger("lines"), "read up to the line past the limit: " + r.body());
        assertEquals(0, total("?action=Past%20the%20line%20limit"));
    }

    private static void chunk(OutputStream out, byte[] bytes) throws java.io.IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] head(String authorization, long length) {
        return ("POST /api/v1/action/bulk/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                + "\r\nContent-Type: " + NDJSON + "\r\nExpect: 100-continue\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
