package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node refuses to start on a topic whose settings would lose or reorder history, and names the setting. */
class UnsafeTopicTest {
    private static KafkaBroker broker;
    private static Admin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker(@TempDir Path brokerDir) throws Exception {
        broker = KafkaBroker.start(brokerDir);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        admin = Admin.create(p);
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    private void create(String topic, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get();
    }

    private String refusal(String topic) {
        Exception e = assertThrows(Exception.class,
                () -> ClusterNodes.start(broker, topic, "n1", dir.resolve(topic)).close());
        return e.getMessage();
    }

    @Test
    void moreThanOnePartitionIsRefused() throws Exception {
        create("three-partitions", 3, Map.of("retention.ms", "-1"));
        String message = refusal("three-partitions");
        assertTrue(message.contains("partitions=3"), message);
    }

    @Test
    void deletionByAgeIsRefused() throws Exception {
        create("by-age", 1, Map.of("retention.ms", "604800000"));
        String message = refusal("by-age");
        assertTrue(message.contains("retention.ms=604800000"), message);
    }

    @Test
    void deletionBySizeIsRefused() throws Exception {
        create("by-size", 1, Map.of("retention.ms", "-1", "retention.bytes", "1073741824"));
        String message = refusal("by-size");
        assertTrue(message.contains("retention.bytes=1073741824"), message);
    }

    @Test
    void compactionIsRefused() throws Exception {
        create("compacted", 1, Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
        String message = refusal("compacted");
        assertTrue(message.contains("cleanup.policy=compact"), message);
    }

    @Test
    void uncleanLeaderElectionIsRefused() throws Exception {
        create("unclean", 1, Map.of("retention.ms", "-1", "unclean.leader.election.enable", "true"));
        String message = refusal("unclean");
        assertTrue(message.contains("unclean.leader.election.enable=true"), message);
    }

    @Test
    void aMissingTopicIsCreatedWithSafeSettings() throws Exception {
        TestServer node = ClusterNodes.start(broker, "created-here", "n1", dir.resolve("created"));
        node.close();
        var config = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "created-here"))).all().get()
                .values().iterator().next();
        assertEquals("-1", config.get("retention.ms").value());
        assertEquals("-1", config.get("retention.bytes").value());
        assertEquals("delete", config.get("cleanup.policy").value());
        assertEquals(1, admin.describeTopics(List.of("created-here")).allTopicNames().get().get("created-here")
                .partitions().size());
    }

    @Test
    void retentionInActionlogIsRefusedInClusterMode() {
        Exception e = assertThrows(Exception.class, () -> TestServer.start(dir.resolve("retention"),
                withRetention(ClusterNodes.settings(broker, "with-retention", "n1"))).close());
        assertTrue(e.getMessage().contains("retention.days"), e.getMessage());
    }

    private static Map<String, String> withRetention(Map<String, String> settings) {
        settings.put("retention.days", "30");
        return settings;
    }
}
