package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.config.Config;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionChanges;
import io.actionlog.store.ActionReader;
import io.actionlog.store.CommandPath;
import io.actionlog.store.WriteCommand;
import io.actionlog.store.Writer;
import io.actionlog.support.Await;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that started unlinked (its brokers did not answer) and links while requests are under way: what a request
 * began before the link must still be right after it. Driven on the node itself, so that the moment of the link
 * falls between two steps of one request.
 */
class LinkLateTest {
    private static final long SECONDS = 120;
    private static final String TOPIC = "link-late";

    @TempDir
    Path dir;

    /**
     * A bulk request cut into commands before the node knew the topic's record size, and sent once it does: every
     * command fits the topic, rather than one too large for it being refused as a bad request (400).
     */
    @Test
    void aBulkCutBeforeTheLinkFitsTheTopicAfterIt() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
            Path data = dir.resolve("n1");
            ClusterNodes.start(broker, TOPIC, "n1", data).close(); // the topic, and a copy of it at offset 0
            limitRecordSize(broker, 16 << 10);
            broker.stop();
            Map<String, String> settings = new HashMap<>(ClusterNodes.settings(broker, TOPIC, "n1"));
            settings.put("data.dir", data.toString());
            Config config = Config.of(settings);
            Journal journal = ChronicleJournal.open(config.journalDir(), Durability.PROCESS);
            ActionIndex index = new ActionIndex();
            Writer writer = new Writer(journal, index, 100, 100);
            ClusterNode node = null;
            try {
                ClusterNode.Prepared prepared = ClusterNode.prepare(config, journal);
                assertNull(prepared.topic(), "the brokers are down: the node starts unlinked");
                node = ClusterNode.start(config, prepared, writer,
                        new ActionChanges(journal, index, new ActionReader(journal)), journal);
                writer.start();
                CommandPath path = node.commands();
                List<NewAction> actions = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    actions.add(action("x".repeat(4 << 10)));
                }
                List<List<NewAction>> parts = path.split(actions);

                broker.restart();
                ClusterNode linked = node;
                Await.until(linked::status, "UP"::equals, SECONDS, "the node links once the broker answers");
                List<CompletableFuture<Object>> replies = parts.stream()
                        .map(part -> path.submit(new WriteCommand.Record(part, null))).toList();
                int recorded = 0;
                for (CompletableFuture<Object> reply : replies) {
                    recorded += ((List<?>) reply.get(SECONDS, TimeUnit.SECONDS)).size();
                }
                assertEquals(actions.size(), recorded);
            } finally {
                if (node != null) {
                    node.close();
                }
                writer.close();
                journal.close();
            }
        }
    }

    private static NewAction action(String body) {
        ActionData data = new ActionData(UUID.randomUUID(), "alice", "Volume Attach", "POST", "/api/v1/volume/",
                "/api/v1/volume/7/", List.of(), "10.0.0.1", "", "curl/8", body, 1_764_720_000_123_456L, true, null,
                "recorder");
        return new NewAction(data, State.SUCCESS, 1_764_720_000_123_456L, "", "", "{}", Set.of("uuid"));
    }

    private static void limitRecordSize(KafkaBroker broker, int bytes) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(bytes)),
                            AlterConfigOp.OpType.SET)))).all().get(SECONDS, TimeUnit.SECONDS);
        }
    }
}
