package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.server.Server;
import io.actionlog.support.Client;
import io.actionlog.support.FailingLine;
import io.actionlog.support.Leftovers;
import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes on one topic of a real broker (in this JVM, on 127.0.0.1): each takes writes, all end with the same
 * actions, the same answers and the same Merkle tree.
 */
class ClusterTest {
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker(@TempDir Path brokerDir) throws Exception {
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private List<TestServer> nodes(String topic, int n) throws Exception {
        List<TestServer> nodes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            nodes.add(ClusterNodes.start(broker, topic, "n" + i, dir.resolve("n" + i)));
        }
        return nodes;
    }

    private static JsonObject action(int i) {
        return new JsonObject().put("uuid", UUID.randomUUID().toString()).put("user", "u" + (i % 3))
                .put("action", "Cluster Create").put("method", "POST").put("object", "/api/v1/cluster/" + i + "/")
                .put("state", "In progress");
    }

    @Test
    void threeNodesTakingWritesAtOnceEndWithTheSameListsDetailsAndTree() throws Exception {
        List<TestServer> nodes = nodes("same-everywhere", 3);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<List<Long>>> writers = new ArrayList<>();
            for (TestServer node : nodes) {
                Callable<List<Long>> writes = () -> {
                    List<Long> positions = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        Client.Response r = node.admin().post("/api/v1/action/", action(i));
                        assertEquals(201, r.status(), r.body());
                        positions.add(ClusterNodes.position(r));
                    }
                    return positions;
                };
                writers.add(pool.submit(writes));
            }
            long highest = 0;
            for (Future<List<Long>> w : writers) {
                for (long p : w.get()) {
                    highest = Math.max(highest, p);
                }
            }
            pool.shutdown();
            assertEquals(120, highest, "one command per write");

            String first = ClusterNodes.list(nodes.get(0), highest);
            assertEquals(120, new JsonObject(first).getJsonObject("meta").getInteger("total_count"));
            JsonArray objects = new JsonObject(first).getJsonArray("objects");
            Set<Long> ids = new TreeSet<>();
            objects.forEach(o -> ids.add(((JsonObject) o).getLong("id")));
            assertEquals(120, ids.size());
            assertEquals(1L, ids.iterator().next());
            for (TestServer node : nodes.subList(1, 3)) {
                assertEquals(first, ClusterNodes.list(node, highest), "the same list on every node");
            }
            String uuid = objects.getJsonObject(77).getString("uuid");
            String detail = ClusterNodes.readAt(nodes.get(0), "/api/v1/action/" + uuid + "/", highest).body();
            for (TestServer node : nodes.subList(1, 3)) {
                assertEquals(detail, ClusterNodes.readAt(node, "/api/v1/action/" + uuid + "/", highest).body());
            }
            assertSameRootsAtTheSameSize(nodes);
            String metrics = nodes.get(2).admin().get("/metrics").body();
            assertTrue(metrics.contains("actionlog_cluster_position " + highest + ".0"), "position in /metrics");
            assertTrue(metrics.contains("actionlog_cluster_up 1.0"), "up in /metrics");
        } finally {
            nodes.forEach(TestServer::close);
        }
    }

    /** Each node signs with its own key; the tree, and so the root for a given size, is the same on all. */
    private static void assertSameRootsAtTheSameSize(List<TestServer> nodes) throws Exception {
        List<String> checkpoints = new ArrayList<>();
        for (TestServer node : nodes) {
            long entries = node.admin().get("/health").json().getLong("journal_entries");
            checkpoints.add(awaitCheckpoint(node, entries));
        }
        String[] first = checkpoints.get(0).split("\n");
        for (String c : checkpoints.subList(1, checkpoints.size())) {
            String[] lines = c.split("\n");
            assertEquals(first[1], lines[1], "tree size");
            assertEquals(first[2], lines[2], "root hash at that size");
            assertNotEquals(checkpoints.get(0), c, "signed by each node's own key");
        }
    }

    private static String awaitCheckpoint(TestServer node, long size) throws InterruptedException {
        Client.Response r = io.actionlog.support.Await.until(() -> node.admin().get("/api/v1/integrity/checkpoint/"),
                c -> c.status() == 200 && c.body().split("\n")[1].equals(Long.toString(size)), 30,
                "a checkpoint of size " + size);
        return r.body();
    }

    /**
     * Each write here is one command recording one action, so an answer listing more actions than its position
     * reflects commands past it: a client carrying that position to another node could see less there.
     */
    @Test
    void anAnswerNeverShowsMoreThanItsPositionSays() throws Exception {
        List<TestServer> nodes = nodes("position-covers", 2);
        try {
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writes = new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        nodes.get(1).admin().record(action(i));
                    }
                } finally {
                    writing.set(false);
                }
            }, "writes");
            writes.start();
            int reads = 0;
            while (writing.get()) {
                Client.Response r = nodes.get(0).admin().get("/api/v1/action/?limit=1");
                long shown = r.json().getJsonObject("meta").getLong("total_count");
                long position = ClusterNodes.position(r);
                assertTrue(shown <= position, "read " + reads + " shows " + shown + " actions at position " + position);
                reads++;
            }
            writes.join();
        } finally {
            nodes.forEach(TestServer::close);
        }
    }

    @Test
    void theSameActionMovedOnTwoNodesAtOnceHasOneWinnerEverywhere() throws Exception {
        List<TestServer> nodes = nodes("one-winner", 2);
        try {
            Client.Response created = nodes.get(0).admin().post("/api/v1/action/", action(1));
            assertEquals(201, created.status(), created.body());
            String uuid = created.json().getString("uuid");
            long at = ClusterNodes.position(created);
            ClusterNodes.readAt(nodes.get(1), "/api/v1/action/" + uuid + "/", at);

            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<Client.Response> success = pool.submit(() -> nodes.get(0).admin()
                    .patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success")));
            Future<Client.Response> failed = pool.submit(() -> nodes.get(1).admin()
                    .patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Failed")));
            Client.Response a = success.get();
            Client.Response b = failed.get();
            pool.shutdown();
            List<Integer> statuses = new ArrayList<>(List.of(a.status(), b.status()));
            statuses.sort(Comparator.naturalOrder());
            assertEquals(List.of(200, 409), statuses, a.body() + " / " + b.body());
            String winner = a.status() == 200 ? "Success" : "Failed";
            long after = Math.max(ClusterNodes.position(a), ClusterNodes.position(b));
            for (TestServer node : nodes) {
                JsonObject detail = new JsonObject(ClusterNodes.readAt(node, "/api/v1/action/" + uuid + "/", after).body());
                assertEquals(winner, detail.getString("state"));
            }
        } finally {
            nodes.forEach(TestServer::close);
        }
    }

    @Test
    void aNodeWithAWipedDataDirectoryRebuildsToEquality() throws Exception {
        List<TestServer> nodes = nodes("wiped", 2);
        TestServer rebuilt = null;
        try {
            long last = 0;
            for (int i = 0; i < 30; i++) {
                last = ClusterNodes.position(nodes.get(i % 2).admin().post("/api/v1/action/", action(i)));
            }
            Client.Response logs = nodes.get(0).admin().postText("/api/v1/action/"
                    + new JsonObject(ClusterNodes.list(nodes.get(0), last)).getJsonArray("objects").getJsonObject(3)
                    .getString("uuid") + "/logs/", "a line\n");
            assertEquals(200, logs.status(), logs.body());
            last = ClusterNodes.position(logs);
            String expected = ClusterNodes.list(nodes.get(0), last);

            nodes.get(1).close();
            Path wiped = dir.resolve("n2");
            try (Stream<Path> all = Files.walk(wiped)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            rebuilt = ClusterNodes.start(broker, "wiped", "n2", wiped);
            assertTrue(rebuilt.admin().get("/health").json().getJsonObject("cluster").getLong("position") >= last,
                    "a node serves once it has applied the topic as far as it reached at the node's start");
            assertEquals(expected, ClusterNodes.list(rebuilt, last));
        } finally {
            nodes.get(0).close();
            if (rebuilt != null) {
                rebuilt.close();
            }
        }
    }

    @Test
    void aStoppedNodeResumesWhereItStoppedAndCatchesUp() throws Exception {
        List<TestServer> nodes = nodes("resume", 2);
        TestServer restarted = null;
        LogCapture log = LogCapture.of(ClusterNode.class.getName());
        try {
            long stoppedAt = 0;
            for (int i = 0; i < 10; i++) {
                stoppedAt = ClusterNodes.position(nodes.get(1).admin().post("/api/v1/action/", action(i)));
            }
            ClusterNodes.list(nodes.get(1), stoppedAt);
            nodes.get(1).close();
            long last = 0;
            for (int i = 0; i < 10; i++) {
                last = ClusterNodes.position(nodes.get(0).admin().post("/api/v1/action/", action(i)));
            }
            log.messages().clear();
            restarted = ClusterNodes.start(broker, "resume", "n2", dir.resolve("n2"));
            assertEquals(ClusterNodes.list(nodes.get(0), last), ClusterNodes.list(restarted, last));
            long offset = stoppedAt;
            assertTrue(log.any("resumes topic resume at offset " + offset), "resumed, not rebuilt: " + log.messages());
        } finally {
            log.close();
            nodes.get(0).close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    @Test
    void aWriteOnOneNodeReachesTheLiveStreamsOfAnother() throws Exception {
        List<TestServer> nodes = nodes("streams", 2);
        try (io.actionlog.stream.SseProbe events = io.actionlog.stream.SseProbe.open(nodes.get(1).port(),
                "/api/v1/events/", java.util.Map.of("Authorization", "Token " + TestServer.ADMIN_KEY))) {
            assertEquals(200, events.status());
            assertTrue(events.header(ClusterNode.POSITION_HEADER) != null, "a stream's answer carries the position");
            String uuid = nodes.get(0).admin().record(action(1)).getString("uuid");
            io.actionlog.stream.SseProbe.Event e = events.next();
            while (!e.data().encode().contains(uuid)) {
                e = events.next();
            }
            assertEquals(uuid, e.data().getString("uuid"));
        } finally {
            nodes.forEach(TestServer::close);
        }
    }

    @Test
    void aNodesCredentialChangesAreRecordedOnceThroughTheTopicNamingTheNode() throws Exception {
        java.util.Map<String, String> settings = ClusterNodes.settings(broker, "credentials", "audit-1");
        settings.put("audit.credential_changes", "journal");
        TestServer first = TestServer.start(dir.resolve("a1"), settings);
        TestServer second = ClusterNodes.start(broker, "credentials", "n2", dir.resolve("a2"));
        try {
            Client.Response r = second.admin().send(io.vertx.core.http.HttpMethod.GET,
                    "/api/v1/action/?action=Credential%20Add", java.util.Map.of(ClusterNode.MIN_POSITION_HEADER, "1"));
            assertEquals(200, r.status(), r.body());
            JsonArray added = r.json().getJsonArray("objects");
            assertEquals(1, added.size(), "the bootstrap admin of the node that journals its changes: " + added);
            JsonObject metadata = second.admin().get("/api/v1/action/" + added.getJsonObject(0).getString("uuid") + "/")
                    .json().getJsonObject("metadata");
            assertEquals("audit-1", metadata.getString("node"));
            assertEquals("admin", metadata.getString("role"));
        } finally {
            first.close();
            second.close();
        }
    }

    /** Its last step, once the producer, the follower and the writer run: all of them stop with the failed start. */
    @Test
    void aNodeWhoseStartFailsLeavesNoClientRunningAndStartsAgainWhereItWas() throws Exception {
        Path data = Files.createDirectories(dir.resolve("failed"));
        Leftovers leftovers = Leftovers.from(data);
        try (FailingLine line = FailingLine.on(Server.class.getName(), " listening on ")) {
            Exception failure = assertThrows(IllegalStateException.class,
                    () -> ClusterNodes.start(broker, "failed-start", "n1", data).close());
            assertSame(line.thrown(), failure);
        }
        leftovers.awaitNone(30);

        TestServer node = ClusterNodes.start(broker, "failed-start", "n1", data);
        try {
            Client.Response posted = node.admin().post("/api/v1/action/", action(1));
            assertEquals(201, posted.status(), posted.body());
            assertEquals(1, new JsonObject(ClusterNodes.list(node, ClusterNodes.position(posted)))
                    .getJsonArray("objects").size());
        } finally {
            node.close();
        }
    }

    /** A backup taken on one node is recorded through the topic, naming that node: every node shows it finished. */
    @Test
    void aBackupOnOneNodeIsItsRecordOnEveryNode() throws Exception {
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (String name : List.of("n1", "n2")) {
                java.util.Map<String, String> settings = new java.util.HashMap<>(
                        ClusterNodes.settings(broker, "admin-audit", name));
                settings.put("audit.admin_operations", "journal");
                nodes.add(TestServer.start(dir.resolve(name), settings));
            }
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:"
                    + nodes.get(0).port() + "/api/v1/admin/backup/").toURL().openConnection();
            c.setRequestProperty("Authorization", "Token " + TestServer.ADMIN_KEY);
            assertEquals(200, c.getResponseCode());
            long sent;
            try (java.io.InputStream in = c.getInputStream()) {
                sent = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            for (TestServer node : nodes) {
                JsonObject row = io.actionlog.support.Await.until(() -> node.admin()
                        .get("/api/v1/action/?action=Backup%20Download").json().getJsonArray("objects"),
                        rows -> !rows.isEmpty() && rows.getJsonObject(0).getString("state").equals("Success"), 30,
                        "the backup's record on " + node.port()).getJsonObject(0);
                JsonObject detail = node.admin().get(row.getString("resource_uri")).json();
                assertEquals("n1", detail.getJsonObject("metadata").getString("node"), detail.encode());
                assertEquals(sent, detail.getJsonObject("metadata").getLong("bytes"));
            }
        } finally {
            nodes.forEach(TestServer::close);
        }
    }

    @Test
    void aSingleHostSendsNoPositionAndNoClusterHealth() throws Exception {
        TestServer single = TestServer.start(dir.resolve("single"));
        try {
            Client.Response r = single.admin().get("/api/v1/action/");
            assertEquals(200, r.status());
            assertEquals(null, r.header(ClusterNode.POSITION_HEADER));
            assertEquals(null, single.admin().get("/health").json().getJsonObject("cluster"));
        } finally {
            single.close();
        }
    }
}
