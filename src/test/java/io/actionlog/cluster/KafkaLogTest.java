package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka clients warn at each attempt to reach a broker that does not answer, several times a second; a node whose
 * brokers stay away for hours would write that line tens of thousands of times. No broker runs here.
 */
class KafkaLogTest {
    @TempDir
    Path dir;

    /** The admin client of the topic check tries again every few hundred milliseconds while nothing listens. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWarningRepeatedAtEachReconnectionIsSaidOnce() {
        Map<String, String> settings = ClusterNodes.settings("127.0.0.1:" + KafkaBroker.freePort(), "t", "n1");
        settings.put("kafka.write_timeout_ms", "3000");
        try (LogCapture log = LogCapture.of("org.apache.kafka")) {
            assertThrows(Exception.class, () -> TestServer.start(dir, settings).close());
            Map<String, Long> said = log.messages().stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            said.forEach((message, times) -> assertEquals(1, times, message));
        }
    }

    /**
     * The producer and the consumer of a node whose brokers went away, each trying once a second for two minutes:
     * their warning is said once a minute, and another warning at once.
     */
    @Test
    void aWarningIsSaidOnceAMinuteWhicheverClientSaysItAndAnotherAtOnce() {
        AtomicLong clock = new AtomicLong();
        KafkaLog filter = new KafkaLog(clock::get);
        int passed = 0;
        for (int second = 0; second < 120; second++) {
            clock.set(second * 1_000_000_000L);
            for (String client : List.of("Producer clientId=actionlog-n1-producer",
                    "Consumer clientId=actionlog-n1-consumer, groupId=null")) {
                passed += filter.isLoggable(warning("[" + client + "] Connection to node " + (second % 2 == 0 ? 1 : -1)
                        + " (/127.0.0.1:9092) could not be established. Node may not be available.")) ? 1 : 0;
            }
        }
        assertEquals(2, passed);
        assertTrue(filter.isLoggable(warning("[Producer clientId=actionlog-n1-producer] Connection to node 1 "
                + "(/127.0.0.1:9092) failed authentication due to: Authentication failed")));
    }

    private static LogRecord warning(String message) {
        return new LogRecord(Level.WARNING, message);
    }
}
