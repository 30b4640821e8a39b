package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.Http;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a node (a process of its own) while two nodes take writes: the node comes back on its data directory
 * (resuming after the last command it recorded, the one it was killed in without the entries it had appended),
 * catches up, and every write either node acknowledged is on both, with byte-equal exports.
 * {@code scripts/cluster-demo.sh --check} does the same with three nodes.
 */
class NodeCrashTest {
    @TempDir
    Path dir;

    /** Every action, however many the writers made: the export has no page limit. */
    private static final String EVERY_ACTION = "/api/v1/action/export/?format=ndjson&order_by=id";

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong highest = new AtomicLong();
    private final AtomicLong acknowledgedByForked = new AtomicLong();

    @Test
    void aKilledNodeComesBackWithEveryAcknowledgedWrite() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            Map<String, String> forkedSettings = ClusterNodes.settings(broker, "crash", "forked");
            TestServer steady = ClusterNodes.start(broker, "crash", "steady", dir.resolve("steady"));
            AtomicReference<ForkedServer> forked = new AtomicReference<>(
                    ForkedServer.start(dir.resolve("forked"), TestServer.ADMIN_KEY, forkedSettings));
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread toSteady = writer(writing, () -> new Http(steady.port()), false);
            Thread toForked = writer(writing, () -> new Http(forked.get().port()), true);
            try {
                awaitAcknowledgedByForked(40);
                forked.get().kill();
                forked.set(ForkedServer.start(dir.resolve("forked"), TestServer.ADMIN_KEY, forkedSettings));
                awaitAcknowledgedByForked(acknowledgedByForked.get() + 20);
            } finally {
                writing.set(false);
                toSteady.join();
                toForked.join();
            }
            try {
                long at = highest.get();
                String steadyList = ClusterNodes.readAt(steady, EVERY_ACTION, at).body();
                HttpResponse<String> r = new Http(forked.get().port()).send("GET", EVERY_ACTION, null,
                        Map.of(ClusterNode.MIN_POSITION_HEADER, Long.toString(at)));
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(steadyList, r.body(), "the same actions on both nodes");
                for (String uuid : acknowledged) {
                    assertTrue(steadyList.contains(uuid), "acknowledged " + uuid + " is kept");
                }
                assertTrue(acknowledged.size() > 60, "the load produced acknowledged writes: " + acknowledged.size());
            } finally {
                forked.get().close();
                steady.close();
            }
        }
    }

    private interface Target {
        Http get() throws Exception;
    }

    /** Records actions until told to stop; a refused or failed request (the node is down) is simply tried again. */
    private Thread writer(AtomicBoolean writing, Target target, boolean countsForked) {
        Thread t = new Thread(() -> {
            while (writing.get()) {
                String uuid = UUID.randomUUID().toString();
                JsonObject action = new JsonObject().put("uuid", uuid).put("user", "alice")
                        .put("action", "Instance Reboot").put("method", "POST").put("state", "Success");
                try {
                    HttpResponse<String> r = target.get().post("/api/v1/action/", action.encode());
                    if (r.statusCode() == 201) {
                        acknowledged.add(uuid);
                        highest.accumulateAndGet(Long.parseLong(r.headers().firstValue(ClusterNode.POSITION_HEADER)
                                .orElseThrow()), Math::max);
                        if (countsForked) {
                            acknowledgedByForked.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    // the node is being killed or restarted
                }
            }
        }, "writer");
        t.start();
        return t;
    }

    private void awaitAcknowledgedByForked(long count) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (acknowledgedByForked.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the forked node acknowledged " + acknowledgedByForked.get() + " writes, not "
                        + count + ", within 60 s");
            }
            Thread.sleep(20);
        }
    }
}
