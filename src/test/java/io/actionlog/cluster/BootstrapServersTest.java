package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.config.ConfigException;
import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node whose kafka.bootstrap_servers cannot be used refuses to start, naming the setting. No broker runs here. */
class BootstrapServersTest {
    @TempDir
    Path dir;

    private Exception refusal(Map<String, String> settings) {
        return assertThrows(Exception.class, () -> TestServer.start(dir, settings).close());
    }

    @Test
    void anAddressWithoutAPortIsAConfigurationError() {
        Exception e = refusal(ClusterNodes.settings("kafka1", "t", "n1"));
        assertInstanceOf(ConfigException.class, e, e.toString());
        assertTrue(e.getMessage().contains("kafka.bootstrap_servers='kafka1'"), e.getMessage());
    }

    @Test
    void aHostThatDoesNotResolveIsAConfigurationError() {
        Exception e = refusal(ClusterNodes.settings("no-such-host.invalid:9092", "t", "n1"));
        assertInstanceOf(ConfigException.class, e, e.toString());
        assertTrue(e.getMessage().contains("kafka.bootstrap_servers"), e.getMessage());
    }

    /**
     * Nothing listens, and the data directory is new, so the node has no copy to answer reads from: the start gives
     * up after kafka.write_timeout_ms, not after the Kafka client's own default.api.timeout.ms, which is raised here
     * so far that a start waiting for it would outlast the test. (A node with a copy starts on it:
     * {@link BrokerDownAtStartTest}.)
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void brokersThatDoNotAnswerEndTheStartAfterTheWriteTimeoutNamingTheSetting() {
        Map<String, String> settings = ClusterNodes.settings("127.0.0.1:" + KafkaBroker.freePort(), "t", "n1");
        settings.put("kafka.write_timeout_ms", "1000");
        settings.put("kafka.client_properties.default.api.timeout.ms", "3600000");
        Exception e = refusal(settings);
        assertInstanceOf(ClusterException.class, e, e.toString());
        assertTrue(e.getMessage().contains("kafka.bootstrap_servers"), e.getMessage());
    }
}
