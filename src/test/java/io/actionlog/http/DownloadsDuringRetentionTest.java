package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.DayClock;
import io.actionlog.support.Script;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads that a slow client is still reading when retention drops day files. A backup must still be whole, since
 * the client asked for the journal as it stood when the backup began; an export leaves out the actions it had not
 * written yet, as an export started a moment later would, and ends whole.
 */
class DownloadsDuringRetentionTest {
    private static final int BIG = 40;

    @TempDir
    Path dir;

    @Test
    void aDropWhileABackupStreamsLeavesTheArchiveWhole() throws Exception {
        DayClock clock = new DayClock(5);
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("retention.days", "30"), clock)) {
            Client admin = server.admin();
            String longAgo = longAgo();
            // First day: enough bytes that the backup is still in this file when the drop comes; second day: the
            // file the backup has not opened yet.
            bulk(admin, BIG, longAgo, "x".repeat(400_000));
            clock.nextDay();
            bulk(admin, 3, longAgo, "y");
            clock.nextDay();
            String kept = admin.record(new JsonObject().put("action", "Kept")).getString("uuid");

            HttpURLConnection c = download(server, "/api/v1/admin/backup/");
            Path tar = dir.resolve("backup.tar");
            try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tar)) {
                out.write(in.readNBytes(4096));
                JsonObject report = admin.post("/api/v1/admin/retention/", new JsonObject()).json();
                assertEquals(2, report.getJsonObject("dropped").getJsonArray("files").size(), report.encode());
                in.transferTo(out);
            }
            Path restored = dir.resolve("restored");
            Files.createDirectories(restored);
            Script untar = Script.run("tar", "-xf", tar.toString(), "-C", restored.toString());
            assertEquals(0, untar.code(), untar.out());
            Cli verify = Cli.run("verify", "--data-dir", restored.toString());
            assertEquals(0, verify.code(), verify.out() + verify.err());
            try (TestServer again = TestServer.start(restored)) {
                JsonObject meta = again.admin().get("/api/v1/action/?limit=1").json().getJsonObject("meta");
                assertEquals(BIG + 3 + 1, meta.getLong("total_count"), "every action of the backup's moment");
                assertEquals(200, again.admin().get("/api/v1/action/" + kept + "/").status());
            }
        }
    }

    @Test
    void actionsExpiredWhileAnExportStreamsAreLeftOutAndTheExportEndsWhole() throws Exception {
        DayClock clock = new DayClock(5);
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("retention.days", "30"), clock)) {
            Client admin = server.admin();
            String longAgo = longAgo();
            // Oldest first in the export, and more bytes than the download reads ahead: most of them are still to
            // be read when the drop comes.
            bulk(admin, BIG, longAgo, "x".repeat(400_000));
            clock.nextDay();
            String kept = admin.record(new JsonObject().put("action", "Kept")).getString("uuid");

            HttpURLConnection c = download(server, "/api/v1/action/export/?order_by=start_date");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream in = c.getInputStream()) {
                body.write(in.readNBytes(4096));
                JsonObject report = admin.post("/api/v1/admin/retention/", new JsonObject()).json();
                assertEquals(1, report.getJsonObject("dropped").getJsonArray("files").size(), report.encode());
                in.transferTo(body); // a download cut short throws here
            }
            String[] lines = body.toString(StandardCharsets.UTF_8).split("\n");
            Set<String> uuids = new HashSet<>();
            for (String line : lines) {
                uuids.add(new JsonObject(line).getString("uuid"));
            }
            assertEquals(lines.length, uuids.size(), "no action twice");
            assertTrue(uuids.contains(kept), "the action retention kept is there");
            assertTrue(lines.length > 1 && lines.length < BIG + 1, "some expired actions were written before the"
                    + " drop, not all: " + lines.length + " lines");
        }
    }

    /**
     * A running action first recorded in the file retention drops is carried forward, not expired: an export that
     * began before the drop still holds it, whether its batch was read before the drop or after it.
     */
    @Test
    void anActionCarriedForwardWhileAnExportStreamsIsStillInTheExport() throws Exception {
        DayClock clock = new DayClock(5);
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("retention.days", "30"), clock)) {
            Client admin = server.admin();
            String longAgo = Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            String later = Instant.now().minus(399, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
            bulk(admin, BIG, longAgo, "x".repeat(400_000));
            // One in the first batch (read before the drop) and one past it (read after), both running.
            String early = admin.record(new JsonObject().put("action", "Early Job").put("state", "In progress")
                    .put("start_date", longAgo).put("logs", "early\n")).getString("uuid");
            bulk(admin, 300, later, "y");
            String late = admin.record(new JsonObject().put("action", "Late Job").put("state", "In progress")
                    .put("start_date", later).put("logs", "late\n")).getString("uuid");
            clock.nextDay();
            String kept = admin.record(new JsonObject().put("action", "Kept")).getString("uuid");

            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port()
                    + "/api/v1/action/export/?order_by=start_date&include_logs=true").toURL().openConnection();
            c.setRequestProperty("Authorization", "Token " + TestServer.ADMIN_KEY);
            assertEquals(200, c.getResponseCode());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream in = c.getInputStream()) {
                body.write(in.readNBytes(4096));
                JsonObject report = admin.post("/api/v1/admin/retention/", new JsonObject()).json();
                assertEquals(2, report.getInteger("carried_forward"), report.encode());
                assertEquals(1, report.getJsonObject("dropped").getJsonArray("files").size(), report.encode());
                in.transferTo(body); // a download cut short throws here
            }
            Map<String, JsonObject> exported = new java.util.HashMap<>();
            for (String line : body.toString(StandardCharsets.UTF_8).split("\n")) {
                JsonObject a = new JsonObject(line);
                exported.put(a.getString("uuid"), a);
            }
            assertTrue(exported.containsKey(kept), "the action recorded after the old ones");
            assertTrue(exported.containsKey(early), "the running action of the batch read before the drop");
            assertTrue(exported.containsKey(late), "the running action of a batch read after the drop");
            assertEquals("In progress", exported.get(late).getString("state"));
            assertEquals("late\n", exported.get(late).getString("logs"));
        }
    }

    /**
     * A running action's logs, read while retention carries the action forward (its entries copied, the old ones
     * dropped): the logs download, and an export with logs, go on from the copy, every byte once, instead of ending
     * cut short.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDownloadOfLogsGoesOnFromTheCopyRetentionCarriesItsActionTo(boolean export) throws Exception {
        DayClock clock = new DayClock(5);
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("retention.days", "30"), clock)) {
            Client admin = server.admin();
            String longAgo = longAgo();
            bulk(admin, 3, longAgo, "y");
            String uuid = admin.record(new JsonObject().put("action", "Long Job").put("state", "In progress")
                    .put("start_date", longAgo).put("logs", "started\n")).getString("uuid");
            StringBuilder all = new StringBuilder("started\n");
            // More than the download reads ahead and the socket holds, in the file the drop takes.
            for (int i = 0; i < 64; i++) {
                String piece = ("step " + i + " " + "z".repeat(250)).repeat(1000) + "\n";
                assertEquals(200, admin.postText("/api/v1/action/" + uuid + "/logs/", piece).status());
                all.append(piece);
            }
            clock.nextDay();
            admin.record(new JsonObject().put("action", "Kept"));

            HttpURLConnection c = download(server, export ? "/api/v1/action/export/?include_logs=true&uuid=" + uuid
                    : "/api/v1/action/" + uuid + "/logs/");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try (InputStream in = c.getInputStream()) {
                body.write(in.readNBytes(4096));
                JsonObject report = admin.post("/api/v1/admin/retention/", new JsonObject()).json();
                assertEquals(1, report.getInteger("carried_forward"), report.encode());
                assertEquals(1, report.getJsonObject("dropped").getJsonArray("files").size(), report.encode());
                in.transferTo(body); // a download cut short throws here
            }
            String got = body.toString(StandardCharsets.UTF_8);
            assertEquals(all.toString(), export ? new JsonObject(got).getString("logs") : got);
        }
    }

    private static String longAgo() {
        return Instant.now().minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The admin's GET of {@code path}, answered 200, its body not read yet. */
    private static HttpURLConnection download(TestServer server, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port() + path).toURL()
                .openConnection();
        c.setRequestProperty("Authorization", "Token " + TestServer.ADMIN_KEY);
        assertEquals(200, c.getResponseCode());
        return c;
    }

    private static void bulk(Client admin, int n, String when, String body) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append(new JsonObject().put("action", "Old").put("user", "ann").put("state", "Success")
                    .put("start_date", when).put("end_date", when).put("body", body).encode()).append('\n');
        }
        Client.Response r = admin.send(HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(), "application/x-ndjson");
        assertEquals(200, r.status(), r.body());
        assertEquals(n, r.json().getInteger("created"), r.body());
    }
}
