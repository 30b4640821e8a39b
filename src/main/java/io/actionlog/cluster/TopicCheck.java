package io.actionlog.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topic, checked before a node uses it: created with safe settings when it does not exist, refused (naming the
 * setting) when its settings would lose or reorder history. The topic is the only full copy of the history, so
 * anything that deletes or compacts its records, or lets an out-of-sync replica become leader, loses actions.
 */
final class TopicCheck {
    private static final Logger LOG = Logger.getLogger(TopicCheck.class.getName());
    /** Room for one action of the largest body the server takes, in its command form. */
    private static final int COMMAND_OVERHEAD = 64 << 10;

    /** What the node needs to know of a topic that passed: its id, and the largest record it takes. */
    record Topic(String name, Uuid id, int maxMessageBytes) {
        /** The id as the node position file keeps it. */
        java.util.UUID uuid() {
            return new java.util.UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
        }
    }

    private TopicCheck() {
    }

    static Topic check(Admin admin, io.actionlog.config.Config.Cluster cluster, int maxBodyBytes, long timeoutMs)
            throws InterruptedException {
        String name = cluster.topic();
        try {
            Optional<TopicDescription> found = describe(admin, name, timeoutMs);
            if (found.isEmpty()) {
                create(admin, cluster, maxBodyBytes, timeoutMs);
                found = describeCreated(admin, name, timeoutMs);
            }
            TopicDescription topic = found.orElseThrow(() -> new ClusterException("topic " + name + " vanished"));
            if (topic.partitions().size() != 1) {
                throw unsafe(name, "partitions", topic.partitions().size(),
                        "expected 1: actions take their ids in the one order of one partition");
            }
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS).values().iterator().next();
            refuseLoss(name, config);
            int replicas = topic.partitions().get(0).replicas().size();
            int minInsync = Integer.parseInt(value(config, "min.insync.replicas"));
            if (minInsync < 2) {
                LOG.warning("topic " + name + ": min.insync.replicas=" + minInsync + " with " + replicas
                        + " replicas; an acknowledged write is on one broker only until the others fetch it "
                        + "(2 or more with 3 replicas is recommended)");
            }
            return new Topic(name, topic.topicId(), Integer.parseInt(value(config, "max.message.bytes")));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                throw new NoAnswer("topic " + name + " could not be checked: " + e.getCause().getMessage()
                        + " (kafka.bootstrap_servers=" + cluster.bootstrapServers() + ")", e.getCause());
            }
            throw new ClusterException("topic " + name + " could not be checked: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new NoAnswer("topic " + name + " could not be checked: no answer from "
                    + cluster.bootstrapServers() + " (kafka.bootstrap_servers) within " + timeoutMs
                    + " ms (kafka.write_timeout_ms)", e);
        }
    }

    /**
     * The brokers did not answer in time, or answered that they cannot yet (a retriable error): the check may pass
     * later. Every other failure is an answer: the topic or the client's settings are to be mended.
     */
    static final class NoAnswer extends ClusterException {
        NoAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static void refuseLoss(String name, Config config) {
        String cleanup = value(config, "cleanup.policy");
        if (!cleanup.equals("delete")) {
            throw unsafe(name, "cleanup.policy", cleanup,
                    "expected delete with no limit: compaction keeps one record per key and drops the history");
        }
        if (!value(config, "retention.ms").equals("-1")) {
            throw unsafe(name, "retention.ms", value(config, "retention.ms"),
                    "expected -1: the topic is the history, records deleted by age are actions lost");
        }
        if (!value(config, "retention.bytes").equals("-1")) {
            throw unsafe(name, "retention.bytes", value(config, "retention.bytes"),
                    "expected -1: the topic is the history, records deleted by size are actions lost");
        }
        if (value(config, "unclean.leader.election.enable").equals("true")) {
            throw unsafe(name, "unclean.leader.election.enable", "true",
                    "expected false: an out-of-sync leader drops acknowledged writes");
        }
    }

    private static Optional<TopicDescription> describe(Admin admin, String name, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(name)).allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).get(name));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A topic just created: the broker acknowledges the creation before every broker's metadata shows the topic, so
     * a description right after it can still say unknown. Asked again every 50 ms until it shows or the time is up.
     */
    private static Optional<TopicDescription> describeCreated(Admin admin, String name, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Optional<TopicDescription> found = describe(admin, name, timeoutMs);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = describe(admin, name, timeoutMs);
        }
        return found;
    }

    private static void create(Admin admin, io.actionlog.config.Config.Cluster cluster, int maxBodyBytes,
                               long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        int rf = cluster.replicationFactor();
        NewTopic topic = new NewTopic(cluster.topic(), 1, (short) rf).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", "-1",
                "retention.bytes", "-1",
                "min.insync.replicas", Integer.toString(Math.min(2, rf)),
                "unclean.leader.election.enable", "false",
                "max.message.bytes", Integer.toString(Math.max(1 << 20, maxBodyBytes + COMMAND_OVERHEAD))));
        try {
            admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info("created topic " + cluster.topic() + ": 1 partition, replication factor " + rf
                    + ", no deletion by time or size");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        if (entry == null || entry.value() == null) {
            throw new ClusterException("topic setting " + name + " is not reported by the brokers");
        }
        return entry.value();
    }

    private static ClusterException unsafe(String topic, String setting, Object value, String why) {
        return new ClusterException("topic " + topic + " is unsafe for actionlog: " + setting + "=" + value + ", "
                + why + ". Change the topic's setting, or point kafka.topic at another topic");
    }
}
