package io.actionlog.cluster;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Cluster nodes for tests: real servers on 127.0.0.1, each with its own data directory, sharing one topic. */
final class ClusterNodes {
    private ClusterNodes() {
    }

    /** The settings of node {@code name} on {@code topic} of {@code broker}. */
    static Map<String, String> settings(KafkaBroker broker, String topic, String name) {
        return settings(broker.bootstrapServers(), topic, name);
    }

    /** The settings of node {@code name} on {@code topic} of the brokers at {@code bootstrapServers}. */
    static Map<String, String> settings(String bootstrapServers, String topic, String name) {
        Map<String, String> s = new HashMap<>();
        s.put("journal.kind", "kafka");
        s.put("kafka.bootstrap_servers", bootstrapServers);
        s.put("kafka.topic", topic);
        s.put("kafka.node", name);
        s.put("kafka.replication_factor", "1");
        s.put("kafka.write_timeout_ms", "5000");
        s.put("kafka.read_wait_ms", "20000");
        s.put("integrity.checkpoint_seconds", "1");
        return s;
    }

    static TestServer start(KafkaBroker broker, String topic, String name, Path dir) throws Exception {
        return TestServer.start(dir, settings(broker, topic, name));
    }

    /** The position a node's answer says it reflects. */
    static long position(Client.Response r) {
        String p = r.header(ClusterNode.POSITION_HEADER);
        if (p == null) {
            throw new AssertionError("no " + ClusterNode.POSITION_HEADER + " on " + r.status() + " " + r.body());
        }
        return Long.parseLong(p);
    }

    /** GET {@code uri} on a node once it has applied {@code position} commands (it waits, bounded, on its side). */
    static Client.Response readAt(TestServer node, String uri, long position) {
        Client.Response r = node.admin().send(HttpMethod.GET, uri,
                Map.of(ClusterNode.MIN_POSITION_HEADER, Long.toString(position)));
        if (r.status() != 200) {
            throw new AssertionError("GET " + uri + " at position " + position + ": " + r.status() + " " + r.body());
        }
        return r;
    }

    /** The node's whole list of actions, as its Tutum face answers it at {@code position}. */
    static String list(TestServer node, long position) {
        return readAt(node, "/api/v1/action/?limit=1000&order_by=id", position).body();
    }
}
