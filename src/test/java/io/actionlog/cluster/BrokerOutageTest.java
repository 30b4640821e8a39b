package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Await;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The brokers going away under writes: writes fail with 503 within the write timeout and are never acknowledged,
 * reads go on from the local copy, health says DEGRADED; when the brokers return, writes resume without a restart
 * and every acknowledged write is on every node.
 */
class BrokerOutageTest {
    @TempDir
    Path dir;

    private static JsonObject action() {
        return new JsonObject().put("uuid", UUID.randomUUID().toString()).put("user", "alice")
                .put("action", "Volume Attach").put("method", "POST").put("state", "Success");
    }

    @Test
    void writesAreRefusedWhileTheBrokerIsDownAndResumeWhenItIsBack() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            TestServer a = ClusterNodes.start(broker, "outage", "a", dir.resolve("a"));
            TestServer b = ClusterNodes.start(broker, "outage", "b", dir.resolve("b"));
            try {
                                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    JsonObject x = action();
                    Client.Response r = (i % 2 == 0 ? a : b).admin().post("/api/v1/action/", x);
                    assertEquals(201, r.status(), r.body());
                    acknowledged.add(x.getString("uuid"));
                }

                broker.stop();
                long t0 = System.nanoTime();
                Client.Response refused = a.admin().post("/api/v1/action/", action());
                assertEquals(503, refused.status(), refused.body());
                assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "bounded by kafka.write_timeout_ms (5 s here)");
                assertEquals("1", refused.header("Retry-After"));
                assertEquals(200, a.admin().get("/api/v1/action/").status(), "reads from the local copy");
                awaitStatus(a, "DEGRADED");

                broker.restart();
                long last = -1;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (last < 0 && System.nanoTime() < deadline) {
                    JsonObject x = action();
                    Client.Response r = b.admin().post("/api/v1/action/", x);
                    if (r.status() == 201) {
                        acknowledged.add(x.getString("uuid"));
                        last = ClusterNodes.position(r);
                    } else {
                        assertEquals(503, r.status(), r.body());
                    }
                }
                assertTrue(last > 0, "writes resume once the broker is back, without a restart");
                awaitStatus(a, "UP");
                for (TestServer node : List.of(a, b)) {
                    String list = ClusterNodes.list(node, last);
                    for (String uuid : acknowledged) {
                        assertTrue(list.contains(uuid), "acknowledged " + uuid + " is on every node");
                    }
                }
            } finally {
                                a.close();
                b.close();
                            }
        }
    }

    private static void awaitStatus(TestServer node, String status) throws InterruptedException {
        Await.until(() -> node.admin().get("/health").json().getString("status"), status::equals, 30,
                "health " + status);
    }
}
