package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.journal.Entry;
import io.actionlog.store.Writer;
import io.actionlog.support.Client;
import io.actionlog.support.MetricsText;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index has an action as soon as the writer applies its creation, before the batch is published to the
 * streams. A logs follower that opens in between finds the action but a horizon at or below its creation: the
 * tail has nothing to read, and the creation, logs given with it included, must come live.
 */
class CreationRaceTest {
    @TempDir
    Path dir;

    private static Object field(Object o, String name) throws Exception {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFollowerOpenedBeforeTheCreationIsPublishedGetsTheLogsGivenAtCreation() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client recorder = server.addUser("rec", Role.RECORDER);
            server.addUser("ann", Role.USER);
            String uuid = UUID.randomUUID().toString();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Writer writer = (Writer) field(field(server, "server"), "writer");
            // First of the listeners, so the streams' feed hears of the batch only once this one lets it go.
            ((List<Writer.Listener>) field(writer, "listeners")).add(0, entries -> {
                for (Writer.Applied a : entries) {
                    if (a.entry() instanceof Entry.Created c && c.data().uuid().toString().equals(uuid)) {
                        held.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            Thread create = new Thread(() -> recorder.record(new JsonObject().put("uuid", uuid).put("action", "Deploy")
                    .put("user", "ann").put("state", "In progress").put("logs", "given at creation\n")));
            create.start();
            assertTrue(held.await(30, TimeUnit.SECONDS));
            try (WsProbe p = WsProbe.open(server.port(), "/v1/action/" + uuid + "/logs/?tail=100",
                    "ApiKey ann:" + server.key("ann"))) {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (MetricsText.value(server.withHeader(null).get("/metrics").body(),
                        "actionlog_streams_open{transport=\"websocket\"}") < 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                release.countDown();
                create.join();
                assertEquals(200, recorder.postText("/api/v1/action/" + uuid + "/logs/", "appended\n").status());
                assertEquals(200, recorder.patch("/api/v1/action/" + uuid + "/",
                        new JsonObject().put("state", "Success")).status());
                assertEquals(List.of("given at creation", "appended"), LogStreamTest.lines(p.untilClosed()));
            } finally {
                release.countDown();
            }
        }
    }
}
