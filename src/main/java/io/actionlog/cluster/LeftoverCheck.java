package io.actionlog.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * At start, before the replay: whether the entries the journal holds past its recorded position can be the command's
 * at that offset ({@link Resume#remainder}), read from the topic with a consumer of its own. A copy they cannot be is
 * then rebuilt in this start; without this look the follower finds out only when it reaches the command, stops, and
 * leaves the rebuild to the next start. The same record decides either way: the topic never changes a record.
 */
final class LeftoverCheck {
    private static final Duration POLL = Duration.ofMillis(200);

    private LeftoverCheck() {
    }

    /**
     * False when the entries cannot be the command's. True when they can, and when it cannot be told here within
     * {@code timeoutMs} (no answer, a command format this node does not read): the follower then decides, as before.
     */
    static boolean fits(Properties consumerProperties, TopicCheck.Topic topic, long offset, Resume resume,
                        long timeoutMs) {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL).records(partition)) {
                    if (r.offset() == offset) {
                        return fits(resume, r.value());
                    }
                }
            }
            return true;
        } catch (KafkaException e) {
            return true;
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private static boolean fits(Resume resume, byte[] command) {
        try {
            resume.remainder(CommandCodec.decode(command));
            return true;
        } catch (ClusterException e) {
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
