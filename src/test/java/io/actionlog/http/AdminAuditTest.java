package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.LogCapture;
import io.actionlog.support.RawHttp;
import io.actionlog.support.RetentionScenario;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server audits what an admin takes from it or removes: a backup download and a retention run asked for are
 * actions in the journal, In progress from before they start, then Success or Failed with what they did.
 */
class AdminAuditTest {
    private static final Map<String, String> JOURNAL = Map.of("audit.admin_operations", "journal");

    @TempDir
    Path dir;

    /** The server's own actions of this name, newest first, as an auditor lists them. */
    private static JsonArray audited(TestServer server, String action) {
        Client.Response r = server.admin().get("/api/v1/action/?action=" + action.replace(" ", "%20"));
        assertEquals(200, r.status(), r.body());
        return r.json().getJsonArray("objects");
    }

    private static JsonObject finished(TestServer server, String action) throws InterruptedException {
        Await.until(() -> audited(server, action), a -> !a.isEmpty()
                && !a.getJsonObject(0).getString("state").equals("In progress"), 30, action + " to finish");
        // The detail view: the list's rows leave out metadata and error.
        return server.admin().get(audited(server, action).getJsonObject(0).getString("resource_uri")).json();
    }

    private static long download(TestServer server) throws Exception {
        return download(server, OutputStream.nullOutputStream());
    }

    private static long download(TestServer server, OutputStream into) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/admin/backup/").toURL().openConnection();
        c.setRequestProperty("Authorization", "Token " + TestServer.ADMIN_KEY);
        c.setRequestProperty("User-Agent", "backup-cron/2.1");
        assertEquals(200, c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            return in.transferTo(into);
        }
    }

    @Test
    void aServerRestoredFromABackupEndsTheBackupItsCopyHoldsUnfinished() throws Exception {
        Path archive = dir.resolve("backup.tar");
        try (TestServer server = TestServer.start(dir.resolve("original"), JOURNAL);
             OutputStream out = java.nio.file.Files.newOutputStream(archive)) {
            download(server, out);
            assertEquals("Success", finished(server, "Backup Download").getString("state"));
        }
        Path restored = java.nio.file.Files.createDirectories(dir.resolve("restored"));
        assertEquals(0, io.actionlog.support.Script.run("tar", "-xf", archive.toString(), "-C", restored.toString())
                .code());
        try (TestServer again = TestServer.start(restored, JOURNAL)) {
            // The copy was taken while its own backup ran: the restored server ends that record, once.
            JsonObject a = finished(again, "Backup Download");
            assertEquals("Failed", a.getString("state"), a.encode());
            assertTrue(a.getString("error").startsWith("not ended: the server stopped before it ended, or this "
                    + "journal is a backup's copy taken while it ran"), a.getString("error"));
            assertEquals(0, a.getJsonObject("metadata").getLong("since"));
        }
        try (TestServer third = TestServer.start(restored, JOURNAL)) {
            assertEquals(1, audited(third, "Backup Download").size());
            assertEquals("Failed", audited(third, "Backup Download").getJsonObject(0).getString("state"));
        }
    }

    @Test
    void aRecordersLookalikeOfTheServersRecordIsLeftAsItIs() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            server.addUser("rec", Role.RECORDER).record(new JsonObject().put("action", "Backup Download")
                    .put("user", "admin").put("state", "In progress"));
        }
        try (TestServer again = TestServer.start(dir, JOURNAL)) {
            assertEquals("In progress", audited(again, "Backup Download").getJsonObject(0).getString("state"));
        }
    }

    @Test
    void theServersUnfinishedRecordIsEndedBehindMoreLookalikesThanOneReadHolds() throws Exception {
        Path archive = dir.resolve("backup.tar");
        try (TestServer server = TestServer.start(dir.resolve("original"), JOURNAL);
             OutputStream out = java.nio.file.Files.newOutputStream(archive)) {
            // Later than the server's own record, so that a newest-first read meets all of them before it.
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 10_001; i++) {
                lines.append(new JsonObject().put("action", "Backup Download").put("user", "admin")
                        .put("state", "In progress").put("start_date", "2099-01-01T00:00:00Z")).append('\n');
            }
            Client.Response bulk = server.addUser("rec", Role.RECORDER).send(HttpMethod.POST, "/api/v1/action/bulk/",
                    lines.toString(), "application/x-ndjson");
            assertEquals(200, bulk.status(), bulk.body());
            assertEquals(10_001, bulk.json().getInteger("created"), bulk.body());
            download(server, out);
        }
        Path restored = java.nio.file.Files.createDirectories(dir.resolve("restored"));
        assertEquals(0, io.actionlog.support.Script.run("tar", "-xf", archive.toString(), "-C", restored.toString())
                .code());
        try (TestServer again = TestServer.start(restored, JOURNAL)) {
            Client.Response failed = again.admin().get("/api/v1/action/?action=Backup%20Download&state=Failed");
            assertEquals(1, failed.json().getJsonArray("objects").size(), failed.body());
            assertEquals("actionlog", failed.json().getJsonArray("objects").getJsonObject(0).getString("recorded_by"));
        }
    }

    @Test
    void aBackupIsTheAdminsActionFinishedWithWhatItSent() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            server.addUser("rec", Role.RECORDER).record(new JsonObject().put("action", "Pay").put("user", "u"));
            long size = download(server);
            JsonObject a = finished(server, "Backup Download");
            assertEquals("Success", a.getString("state"), a.encode());
            assertEquals("admin", a.getString("user"));
            assertEquals("actionlog", a.getString("recorded_by"));
            assertEquals("GET", a.getString("method"));
            assertEquals("/api/v1/admin/backup/", a.getString("object"));
            assertEquals("127.0.0.1", a.getString("ip"));
            assertEquals("backup-cron/2.1", a.getString("user_agent"));
            JsonObject metadata = a.getJsonObject("metadata");
            assertEquals(size, metadata.getLong("bytes"));
            assertEquals(0, metadata.getLong("since"));
            // The copy holds what was written before the backup began, its own action not among them.
            assertTrue(metadata.getLong("journal_size") >= 2, metadata.encode());
            assertEquals(1, audited(server, "Backup Download").size());
        }
    }

    @Test
    void aBackupTheClientLeavesIsFailedWithWhatWasSent() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            fill(server);
            try (Socket s = backupUnread(server)) {
                s.getInputStream().readNBytes(1024);
            }
            JsonObject a = finished(server, "Backup Download");
            assertEquals("Failed", a.getString("state"), a.encode());
            long sent = a.getJsonObject("metadata").getLong("bytes");
            assertEquals("the download ended after " + sent + " bytes", a.getString("error"));
        }
    }

    /**
     * A client that goes away while the archive is read ahead: the read under way meets the scratch files the
     * backup's end removed. That is the client's leaving, which the backup's action records, not a failure to warn of.
     */
    @Test
    void aBackupClientThatLeavesMidwayIsNoFailureInTheLog() throws Exception {
        LogCapture downloads = LogCapture.of(ChunkedDownload.class.getName());
        try (downloads; TestServer server = TestServer.start(dir, JOURNAL)) {
            fill(server);
            int attempts = 5;
            for (int i = 0; i < attempts; i++) {
                // Read as fast as it comes, so that the server's next read is under way when the client goes.
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write(("GET /api/v1/admin/backup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().readNBytes(3 << 20);
                }
            }
            Await.until(() -> audited(server, "Backup Download"), a -> a.size() == attempts && a.stream()
                    .noneMatch(o -> ((JsonObject) o).getString("state").equals("In progress")), 30, "every backup ended");
            Await.until(ChunkedDownload::chunksInMemory, n -> n == 0, 30, "the reads under way to end");
        }
        assertEquals(List.of(), downloads.messages().stream().filter(m -> m.contains("cut off")).toList());
    }

    @Test
    void aBackupWhoseClientLeftBeforeItBeganIsFailedAndItsScratchFilesGo() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            fill(server);
            // Gone while its action is recorded or its copy taken: nothing of the archive was sent.
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("GET /api/v1/admin/backup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            JsonObject a = finished(server, "Backup Download");
            assertEquals("Failed", a.getString("state"), a.encode());
            Path scratch = dir.resolve("tmp");
            Await.until(() -> leftIn(scratch), List::isEmpty, 30, "the backup's scratch files to go");
        }
    }

    private static List<Path> leftIn(Path scratch) {
        if (!java.nio.file.Files.exists(scratch)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(scratch)) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBackupAskedForByAPathWithDotSegmentsRecordsTheRoutesPathWithinItsLimit() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            String path = "/api/v1/admin/" + "./".repeat(1100) + "backup/";
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(RawHttp.line(s.getInputStream()).startsWith("HTTP/1.1 200"));
                s.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
            JsonObject a = finished(server, "Backup Download");
            assertEquals("/api/v1/admin/backup/", a.getString("path"), a.encode());
            assertEquals("/api/v1/admin/backup/", a.getString("object"), a.encode());
        }
    }

    @Test
    void aBackupCutByTheServersStopIsFailedOnce() throws Exception {
        TestServer server = TestServer.start(dir, JOURNAL);
        fill(server);
        try (Socket s = backupUnread(server)) {
            server.close();
        }
        try (TestServer again = TestServer.start(dir, JOURNAL)) {
            JsonArray all = audited(again, "Backup Download");
            assertEquals(1, all.size(), all.encode());
            JsonObject a = again.admin().get(all.getJsonObject(0).getString("resource_uri")).json();
            assertEquals("Failed", a.getString("state"), a.encode());
        }
    }

    /** A backup of about 20 MB, far more than the sockets' buffers hold (loopback's grow to a few MB). */
    private static void fill(TestServer server) throws Exception {
        Client rec = server.addUser("rec", Role.RECORDER);
        for (int request = 0; request < 10; request++) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                lines.append(new JsonObject().put("action", "Load").put("user", "u").put("body", "b".repeat(2000)))
                        .append('\n');
            }
            assertEquals(200, rec.send(HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                    "application/x-ndjson").status());
        }
    }

    /** A backup asked for on a socket that takes its status line and reads no further. */
    private static Socket backupUnread(TestServer server) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
        s.getOutputStream().write(("GET /api/v1/admin/backup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Token " + TestServer.ADMIN_KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertTrue(RawHttp.line(s.getInputStream()).startsWith("HTTP/1.1 200"));
        return s;
    }

    @Test
    void noClientMovesCancelsRetriesOrAddsLogsToTheServersOwnRecord() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            fill(server);
            String uri;
            try (Socket s = backupUnread(server)) {
                JsonObject running = audited(server, "Backup Download").getJsonObject(0);
                assertEquals("In progress", running.getString("state"));
                uri = running.getString("resource_uri");
                Client admin = server.admin();
                for (Client.Response r : List.of(
                        admin.patch(uri, new JsonObject().put("state", "Success").put("metadata", new JsonObject())),
                        admin.postText(uri + "logs/", "nothing was copied\n"),
                        admin.post(uri + "cancel/", new JsonObject()))) {
                    assertEquals(409, r.status(), r.body());
                    assertTrue(r.body().contains("is the server's own record (recorded_by actionlog)"), r.body());
                }
            }
            assertEquals("Failed", finished(server, "Backup Download").getString("state"));
            Client.Response retry = server.admin().post(uri + "retry/", new JsonObject());
            assertEquals(409, retry.status(), retry.body());
        }
    }

    @Test
    void aRetentionRunIsTheAdminsActionWithWhatItExpired() throws Exception {
        RetentionScenario s = RetentionScenario.start(dir, JOURNAL);
        try {
            Client.Response run = s.server.admin().post("/api/v1/admin/retention/", new JsonObject());
            assertEquals(200, run.status(), run.body());
            JsonObject a = finished(s.server, "Retention Run");
            assertEquals("Success", a.getString("state"), a.encode());
            assertEquals("admin", a.getString("user"));
            assertEquals("POST", a.getString("method"));
            JsonObject metadata = a.getJsonObject("metadata");
            assertEquals(RetentionScenario.OLD, metadata.getLong("expired"), metadata.encode());
            assertEquals(run.json().getLong("expired"), metadata.getLong("expired"));
            assertEquals(1, metadata.getJsonObject("dropped").getInteger("files"), metadata.encode());
        } finally {
            s.server.close();
        }
    }

    @Test
    void withTheAuditLoggedOnlyTheJournalHoldsNoneAndTheLogSaysWhoAndWhat() throws Exception {
        try (TestServer server = TestServer.start(dir, Map.of("audit.admin_operations", "log"));
             LogCapture log = LogCapture.of(AdminAudit.class.getName())) {
            download(server);
            assertEquals(List.of(), audited(server, "Backup Download").getList());
            Await.until(log::messages, m -> m.stream().anyMatch(l -> l.startsWith("Backup Download by admin done")),
                    30, "the end of the backup in the log");
            assertTrue(log.any("Backup Download by admin from 127.0.0.1"), log.messages().toString());
        }
    }

    @Test
    void anotherRoleTakesNoBackupAndRecordsNothing() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            Client auditor = server.addUser("audrey", Role.AUDITOR);
            assertEquals(405, auditor.get("/api/v1/admin/backup/").status());
            assertFalse(audited(server, "Backup Download").size() > 0);
        }
    }
}
