package io.actionlog.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process KRaft broker the cluster mode is tested against: produce and consume, stop, restart. */
class KafkaBrokerTest {
    /** Bounds every wait here; far above what a healthy single broker needs, so a slow shared machine still passes. */
    private static final long BOUND_SECONDS = 30;
    /** A send while the broker is down fails after this long (the producer's delivery.timeout.ms). */
    private static final int DELIVERY_TIMEOUT_MS = 5_000;

    @TempDir
    static Path dir;
    private static KafkaBroker broker;
    private static Admin admin;
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = KafkaBroker.start(dir.resolve("kafka"));
        admin = adminOf(broker);
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(BOUND_SECONDS));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeProducersAndRunAgain() {
        producers.forEach(producer -> producer.close(Duration.ofSeconds(BOUND_SECONDS)));
        if (!broker.running()) {
            broker.restart();
        }
    }

    @Test
    void aBrokerWhosePortIsTakenBeforeItBindsStartsOnTwoOthers(@TempDir Path own) throws Exception {
        // Another test run side by side takes the port this broker picked, between the pick and the bind.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(KafkaBroker.HOST))) {
            int[] picks = {0};
            IntSupplier ports = () -> picks[0]++ == 1 ? taken.getLocalPort() : KafkaBroker.freePort();
            try (KafkaBroker other = KafkaBroker.start(own.resolve("kafka"), ports)) {
                assertEquals(4, picks[0], "two ports, then two others");
                assertNotEquals(taken.getLocalPort(), other.port());
                assertNotEquals(taken.getLocalPort(), other.controllerPort());
                try (Admin otherAdmin = adminOf(other)) {
                    assertEquals(1, otherAdmin.describeCluster().nodes().get(BOUND_SECONDS, TimeUnit.SECONDS).size());
                }
            }
        }
    }

    @Test
    void recordProducedWithAcksAllIsConsumedBack() throws Exception {
        TopicPartition tp = createTopic("produced");
        KafkaProducer<String, String> producer = producer();

        RecordMetadata sent = send(producer, tp, "a-1", "first");

        assertEquals(0, sent.offset());
        ConsumerRecord<String, String> read = readAll(tp, 1).get(0);
        assertEquals("a-1", read.key());
        assertEquals("first", read.value());
    }

    @Test
    void brokerListensOnTheLoopbackAddressOnly() throws IOException {
        for (int port : List.of(broker.port(), broker.controllerPort())) {
            try (Socket loopback = new Socket(KafkaBroker.HOST, port)) {
                assertEquals(port, loopback.getPort());
            }
            // Another address of the loopback range reaches this host too, but no socket is bound on it.
            try (Socket other = new Socket()) {
                assertThrows(ConnectException.class, () -> other.connect(
                        new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 5_000), "port " + port);
            }
        }
    }

    @Test
    void sendFailsWithinTheDeliveryTimeoutWhileStoppedAndThePortIsFree() throws Exception {
        TopicPartition tp = createTopic("stopped");
        KafkaProducer<String, String> producer = producer();
        send(producer, tp, "a-1", "before the stop");

        broker.stop();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> send(producer, tp, "a-2", "stopped"));
        assertInstanceOf(TimeoutException.class, failure.getCause(), "the producer's delivery timeout expired");
        try (ServerSocket reuse = new ServerSocket(broker.port(), 1, InetAddress.getByName(KafkaBroker.HOST))) {
            assertEquals(broker.port(), reuse.getLocalPort());
        }
    }

    @Test
    void restartKeepsEarlierRecordsAndTheSameProducerSendsAgain() throws Exception {
        TopicPartition tp = createTopic("restarted");
        KafkaProducer<String, String> producer = producer();
        send(producer, tp, "a-1", "before the restart");
        broker.stop();
        assertThrows(ExecutionException.class, () -> send(producer, tp, "a-2", "while stopped"));

        broker.restart();

        RecordMetadata sent = send(producer, tp, "a-3", "after the restart");
        assertEquals(1, sent.offset());
        assertEquals(List.of("before the restart", "after the restart"), values(readAll(tp, 2)));
    }

    @Test
    void aNewBrokerOverAKeptDirectoryServesItsTopicsOnOtherPorts() throws Exception {
        Path kept = dir.resolve("kept");
        String firstAddress;
        try (KafkaBroker first = KafkaBroker.start(kept); Admin firstAdmin = adminOf(first)) {
            firstAddress = first.bootstrapServers();
            TopicPartition tp = createTopic(firstAdmin, "kept");
            try (KafkaProducer<String, String> producer = producer(first)) {
                send(producer, tp, "a-1", "kept record");
            }
        }

        try (KafkaBroker second = KafkaBroker.start(kept)) {
            assertNotEquals(firstAddress, second.bootstrapServers());
            assertEquals(List.of("kept record"), values(readAll(second, new TopicPartition("kept", 0), 1)));
        }
    }

    private static Admin adminOf(KafkaBroker b) {
        return Admin.create(Map.of("bootstrap.servers", b.bootstrapServers()));
    }

    private static TopicPartition createTopic(String name) throws Exception {
        return createTopic(admin, name);
    }

    /** A topic of one partition and one replica, as the cluster mode's journal topic has on one broker. */
    private static TopicPartition createTopic(Admin through, String name) throws Exception {
        through.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(BOUND_SECONDS, TimeUnit.SECONDS);
        return new TopicPartition(name, 0);
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, TopicPartition tp, String key,
            String value) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(tp.topic(), tp.partition(), key, value);
        return producer.send(record).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> producer = producer(broker);
        producers.add(producer);
        return producer;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker b) {
        return new KafkaProducer<>(Map.of(
                "bootstrap.servers", b.bootstrapServers(),
                "enable.idempotence", "true",
                "acks", "all",
                "linger.ms", "0",
                "request.timeout.ms", String.valueOf(DELIVERY_TIMEOUT_MS / 2),
                "delivery.timeout.ms", String.valueOf(DELIVERY_TIMEOUT_MS),
                "max.block.ms", String.valueOf(DELIVERY_TIMEOUT_MS),
                "reconnect.backoff.max.ms", "500"),
                new StringSerializer(), new StringSerializer());
    }

    /** The partition's first {@code count} records, read by a consumer without a group; fails at the bound. */
    private static List<ConsumerRecord<String, String>> readAll(TopicPartition tp, int count) {
        return readAll(broker, tp, count);
    }

    private static List<ConsumerRecord<String, String>> readAll(KafkaBroker b, TopicPartition tp, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", b.bootstrapServers(),
                "enable.auto.commit", "false",
                "isolation.level", "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
            while (read.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).records(tp).forEach(read::add);
            }
            assertEquals(count, read.size(), "records read from " + tp + " within " + BOUND_SECONDS + " s");
            return read;
        }
    }
}
