package io.actionlog.cluster;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigException;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * The settings of a node's Kafka clients (the admin of the topic check, the producer of its writes, the consumers of
 * its follower and of the start's look at a leftover command): this server's {@code kafka.*} settings, the operator's
 * {@code kafka.client_properties.*}, and what each role needs of its own.
 */
final class KafkaClients {
    private KafkaClients() {
    }

    /** The topic check, bounded by kafka.write_timeout_ms; a bootstrap address the client cannot use is exit 2. */
    static TopicCheck.Topic checkTopic(Config config) throws InterruptedException {
        Config.Cluster c = config.cluster();
        Admin admin = admin(c);
        try {
            return TopicCheck.check(admin, c, config.maxBodyBytes(), c.writeTimeoutMs());
        } finally {
            // Not close(): it waits for a call the check gave up on until the client's own default.api.timeout.ms
            // (a minute), long past kafka.write_timeout_ms.
            admin.close(Duration.ZERO);
        }
    }

    static Properties producer(Config.Cluster c, TopicCheck.Topic topic) {
        Properties producer = properties(c, "producer");
        producer.put("acks", "all");
        producer.put("enable.idempotence", "true");
        producer.put("max.in.flight.requests.per.connection", "5");
        producer.put("linger.ms", "1");
        producer.put("max.request.size", Integer.toString(topic.maxMessageBytes()));
        producer.put("delivery.timeout.ms", Integer.toString(c.writeTimeoutMs()));
        producer.put("request.timeout.ms", Integer.toString(Math.max(500, c.writeTimeoutMs() / 2)));
        producer.put("max.block.ms", Integer.toString(c.writeTimeoutMs()));
        return producer;
    }

    static Properties consumer(Config.Cluster c, TopicCheck.Topic topic, String role) {
        Properties consumer = properties(c, role);
        consumer.put("enable.auto.commit", "false");
        consumer.put("auto.offset.reset", "none");
        consumer.put("isolation.level", "read_committed");
        // Larger batches for a node catching up (one writer command and one position record each); a node that is
        // up to date gets what arrived since its last poll, usually a few.
        consumer.put("max.poll.records", "2000");
        // A bulk command is up to a megabyte: Kafka's default of one megabyte a fetch would bring one command a round
        // trip to a node catching up. Up to 16 MiB a poll.
        consumer.put("max.partition.fetch.bytes", Integer.toString(Math.max(8 << 20, topic.maxMessageBytes())));
        consumer.put("fetch.max.bytes", Integer.toString(16 << 20));
        return consumer;
    }

    /**
     * The client checks the addresses as it is made ("Invalid url in bootstrap.servers: kafka1", "No resolvable
     * bootstrap urls"), under Kafka's names for the settings: said here under this server's.
     */
    private static Admin admin(Config.Cluster c) {
        try {
            return Admin.create(properties(c, "admin"));
        } catch (KafkaException e) {
            String why = String.valueOf((e.getCause() != null ? e.getCause() : e).getMessage());
            if (why.contains("bootstrap.servers")) {
                throw ConfigException.bad("kafka.bootstrap_servers", c.bootstrapServers(), why);
            }
            throw new ClusterException("the Kafka client refused its settings (kafka.client_properties.*): " + why, e);
        }
    }

    static Properties properties(Config.Cluster c, String role) {
        Properties p = new Properties();
        p.putAll(c.clientProperties());
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", "actionlog-" + c.node() + "-" + role);
        return p;
    }
}
