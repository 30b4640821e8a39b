package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.journal.JournalCopy;
import io.actionlog.support.Await;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.LogCapture;
import io.actionlog.support.RetentionScenario;
import io.actionlog.support.Script;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    /** An action a writer had acknowledged, and when (nanoTime) the acknowledgement came. */
    record Acked(String uuid, long id, String user, long at) {
    }

    /** Eight writers recording as fast as they can, each for its own user, until stopped. */
    static final class Writers implements AutoCloseable {
        final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        final List<Future<?>> running = new ArrayList<>();

        Writers(Client recorder) {
            for (int w = 0; w < WRITERS; w++) {
                String user = "u" + w;
                running.add(pool.submit(() -> {
                    while (!stop.get()) {
                        JsonObject a = recorder.record(new JsonObject().put("action", "Backup Load").put("user", user)
                                .put("body", "b".repeat(200)));
                        acked.add(new Acked(a.getString("uuid"), a.getLong("id"), user, System.nanoTime()));
                    }
                    return null;
                }));
            }
        }

        void awaitAtLeast(int n) throws InterruptedException {
            Await.until(acked::size, size -> size >= n, 60, "writers acknowledging " + n + " actions");
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }

    private static Path download(TestServer server, String query, Path into) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/admin/backup/" + query).toURL().openConnection();
        c.setRequestProperty("Authorization", "Token " + TestServer.ADMIN_KEY);
        assertEquals(200, c.getResponseCode());
        assertEquals("application/x-tar", c.getHeaderField("Content-Type"));
        assertTrue(c.getHeaderField("Content-Disposition").startsWith("attachment; filename=\"actionlog-backup-"));
        try (InputStream in = c.getInputStream()) {
            Files.copy(in, into);
        }
        return into;
    }

    private static void untar(Path archive, Path into) throws Exception {
        Files.createDirectories(into);
        Script tar = Script.run("tar", "-xf", archive.toString(), "-C", into.toString());
        assertEquals(0, tar.code(), tar.out());
    }

    private static long manifestSize(Path restored) throws Exception {
        JsonObject manifest = new JsonObject(Files.readString(restored.resolve("manifest.json")));
        assertEquals(1, manifest.getInteger("format"));
        return manifest.getLong("journal_size");
    }

    /** Every action acknowledged before {@code start} reads the same, byte for byte, in both faces of both servers. */
    private static void sameInBothFaces(TestServer original, TestServer restored, List<Acked> before, Map<String, String> keys) {
        for (Acked a : before) {
            Client.Response was = original.admin().get("/api/v1/action/" + a.uuid() + "/");
            Client.Response is = restored.withHeader("Token " + TestServer.ADMIN_KEY).get("/api/v1/action/" + a.uuid() + "/");
            assertEquals(200, is.status(), a.uuid());
            assertEquals(was.body(), is.body());
            String auth = "ApiKey " + a.user() + ":" + keys.get(a.user());
            String path = "/api/user-action-executions/" + a.id() + "/";
            assertEquals(original.withHeader(auth).get(path).body(), restored.withHeader(auth).get(path).body());
        }
    }

    private static Map<String, String> userKeys(TestServer server) {
        Map<String, String> keys = new java.util.HashMap<>();
        for (int w = 0; w < WRITERS; w++) {
            keys.put("u" + w, server.key("u" + w));
        }
        return keys;
    }

    @Test
    void aBackupTakenUnderWritesRestoresEveryActionAcknowledgedBeforeItAndNothingHalfWritten() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            for (int w = 0; w < WRITERS; w++) {
                server.addUser("u" + w, Role.USER);
            }
            Writers writers = new Writers(recorder);
            long start;
            Path archive;
            try {
                writers.awaitAtLeast(400);
                start = System.nanoTime();
                try (LogCapture log = LogCapture.of(JournalCopy.class.getName())) {
                    archive = download(server, "", dir.resolve("full.tar"));
                    assertTrue(log.messages().isEmpty(), "the day file was cut, not appended again: " + log.messages());
                }
                writers.awaitAtLeast(writers.acked.size() + 200); // they went on while it streamed, and after
            } finally {
                writers.close();
            }
            List<Acked> before = writers.acked.stream().filter(a -> a.at() < start).toList();
            Path restored = dir.resolve("restored");
            untar(archive, restored);
            long size = manifestSize(restored);
            Cli verify = Cli.run("verify", "--data-dir", restored.toString());
            assertEquals(0, verify.code(), verify.out() + verify.err());
            try (TestServer again = TestServer.start(restored)) {
                assertEquals(size, again.admin().get("/health").json().getLong("journal_entries"),
                        "the entries the manifest names and no more");
                long actions = new JsonObject(Files.readString(restored.resolve("manifest.json"))).getLong("actions");
                assertEquals(actions, again.admin().get("/api/v1/action/?limit=1").json().getJsonObject("meta")
                        .getLong("total_count"));
                assertTrue(actions < server.admin().get("/api/v1/action/?limit=1").json().getJsonObject("meta")
                        .getLong("total_count"), "writes after the backup are not in it");
                sameInBothFaces(server, again, before, userKeys(server));
            }
        }
    }

    @Test
    void aBackupOfAJournalThatRetentionShortenedRestoresAndVerifies() throws Exception {
        RetentionScenario scenario = RetentionScenario.start(dir.resolve("data"), Map.of());
        try {
            JsonObject report = scenario.runRetention();
            assertTrue(report.getJsonObject("dropped").getJsonArray("files").size() > 0, report.encode());
            TestServer server = scenario.server;
            Path restored = dir.resolve("restored");
            untar(download(server, "", dir.resolve("full.tar")), restored);
            assertTrue(Files.exists(restored.resolve("journal").resolve("head.dat")), "where the journal now starts");
            Cli verify = Cli.run("verify", "--data-dir", restored.toString());
            assertEquals(0, verify.code(), verify.out() + verify.err());
            try (TestServer again = TestServer.start(restored)) {
                for (JsonObject kept : List.of(scenario.running, scenario.recent, scenario.fresh)) {
                    String uri = RetentionScenario.uri(kept);
                    assertEquals(server.admin().get(uri).body(), again.admin().get(uri).body(), "kept " + uri);
                }
                for (String uuid : scenario.oldUuids) {
                    assertEquals(404, again.admin().get("/api/v1/action/" + uuid + "/").status(), "expired " + uuid);
                }
                assertEquals(server.admin().get("/api/v1/action/?limit=100&order_by=id").body(),
                        again.admin().get("/api/v1/action/?limit=100&order_by=id").body());
                Client.Response write = again.admin().post("/api/v1/action/", new JsonObject().put("action", "After")
                        .put("user", "ann"));
                assertEquals(201, write.status(), write.body());
                assertTrue(write.json().getLong("id") > scenario.fresh.getLong("id"), "no id is given twice");
            }
        } finally {
            scenario.server.close();
        }
    }

    @Test
    void anIncrementalBackupUnpackedOverTheFullOneRestoresWhatCameSince() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            List<String> uuids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                uuids.add(recorder.record(new JsonObject().put("action", "Before")).getString("uuid"));
            }
            Path restored = dir.resolve("restored");
            untar(download(server, "", dir.resolve("full.tar")), restored);
            long first = manifestSize(restored);
            for (int i = 0; i < 50; i++) {
                uuids.add(recorder.record(new JsonObject().put("action", "After")).getString("uuid"));
            }
            Path increment = dir.resolve("increment");
            try (LogCapture log = LogCapture.of(JournalCopy.class.getName())) {
                untar(download(server, "?since=" + first, dir.resolve("since.tar")), increment);
                assertTrue(log.messages().isEmpty(), "the day file was cut, not appended again: " + log.messages());
            }
            JsonObject manifest = new JsonObject(Files.readString(increment.resolve("manifest.json")));
            assertEquals(first, manifest.getLong("since"));
            untar(dir.resolve("since.tar"), restored);
            assertEquals(0, Cli.run("verify", "--data-dir", restored.toString()).code());
            try (TestServer again = TestServer.start(restored)) {
                for (String uuid : uuids) {
                    assertEquals(server.admin().get("/api/v1/action/" + uuid + "/").body(),
                            again.admin().get("/api/v1/action/" + uuid + "/").body());
                }
            }
        }
    }

    @Test
    void onlyAnAdminBacksUpAndABadSinceIs400() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            server.addUser("aud", Role.AUDITOR);
            assertEquals(405, server.as("aud").get("/api/v1/admin/backup/").status());
            assertEquals(401, server.withHeader("Token nope").get("/api/v1/admin/backup/").status());
            for (String since : List.of("-1", "x", "999999")) {
                Client.Response r = server.admin().get("/api/v1/admin/backup/?since=" + since);
                assertEquals(400, r.status(), since + " " + r.body());
                assertTrue(r.json().getString("error").startsWith("since: "), r.body());
            }
        }
    }

    @Test
    void aRestoredDirectorySignsWithTheSameKeyAndRebuildsItsTree() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            String uri = server.admin().record(new JsonObject().put("action", "Kept").put("user", "u"))
                    .getString("resource_uri");
            JsonObject proof = server.admin().get(uri + "proof/").json();
            String key = server.withHeader(null).get("/api/v1/integrity/key/").body();
            Path restored = dir.resolve("restored");
            untar(download(server, "", dir.resolve("full.tar")), restored);
            assertTrue(Files.notExists(restored.resolve("integrity").resolve("tree")));
            try (TestServer again = TestServer.start(restored)) {
                assertEquals(key, again.withHeader(null).get("/api/v1/integrity/key/").body());
                JsonObject same = again.admin().get(uri + "proof/").json();
                assertEquals(proof.getLong("tree_size"), same.getLong("tree_size"));
                assertEquals(proof.getString("root_hash"), same.getString("root_hash"), "the same tree, the same root");
            }
        }
    }
}
