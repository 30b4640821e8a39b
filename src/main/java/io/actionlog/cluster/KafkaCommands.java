package io.actionlog.cluster;

import io.actionlog.action.ActionException;
import io.actionlog.action.NewAction;
import io.actionlog.store.CommandPath;
import io.actionlog.store.WriteCommand;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The write path of a cluster node: each command goes to the topic (idempotent producer, acks=all), and its reply
 * waits until this node's own {@link Follower} has applied it, with the outcome that apply decided. A command is
 * tagged with this process's random instance id and a sequence number, so the follower can tell which applied
 * commands have a request waiting here.
 *
 * <p>Sends run on one thread of their own with a bounded queue, since a send can block while the brokers are
 * away; a full queue refuses at once. Every reply is bounded by {@code kafka.write_timeout_ms}: past it the request
 * gets 503 (the command may still be applied later, as after any timeout; a client repeats a record with the same
 * uuid, which is idempotent).
 */
final class KafkaCommands implements CommandPath, AutoCloseable {
    static final String ORIGIN_HEADER = "actionlog-origin";
    private static final Logger LOG = Logger.getLogger(KafkaCommands.class.getName());
    /** Headers, the record's framing and the batch's: what a record takes beyond the command's bytes. */
    private static final int RECORD_OVERHEAD = 1024;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final UUID instance = UUID.randomUUID();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor sender;
    /** The writes' timeouts; a write answered in time takes its timeout out of the queue at once. */
    private final ScheduledThreadPoolExecutor timer;
    private final int maxCommandBytes;
    private final long timeoutMs;
    private volatile long lastSendFailure;

    KafkaCommands(Producer<byte[], byte[]> producer, String topic, int maxMessageBytes, long timeoutMs,
                  int queueCapacity) {
        this.producer = producer;
        this.topic = topic;
        this.maxCommandBytes = maxMessageBytes - RECORD_OVERHEAD;
        this.timeoutMs = timeoutMs;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                r -> {
                    Thread t = new Thread(r, "actionlog-kafka-sender");
                    t.setDaemon(true);
                    return t;
                });
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "actionlog-kafka-timeouts");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public CompletableFuture<Object> submit(WriteCommand command) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        byte[] value = CommandCodec.encode(command);
        if (value.length > maxCommandBytes) {
            reply.completeExceptionally(ActionException.invalid("body", "takes " + value.length
                    + " bytes as a command, more than the topic takes (" + maxCommandBytes + "; max.message.bytes)"));
            return reply;
        }
        long seq = sequence.incrementAndGet();
        pending.put(seq, reply);
        ScheduledFuture<?> timeout = timer.schedule(() -> reply.completeExceptionally(
                new ActionException(ActionException.Kind.UNAVAILABLE, "the write was not applied within " + timeoutMs
                        + " ms (kafka.write_timeout_ms); it may still be: repeat it with the same uuid")),
                timeoutMs, TimeUnit.MILLISECONDS);
        reply.whenComplete((v, t) -> {
            pending.remove(seq);
            timeout.cancel(false);
        });
        try {
            sender.execute(() -> send(seq, value, reply));
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new ActionException(ActionException.Kind.UNAVAILABLE,
                    "too many writes waiting for the topic; try again"));
        }
        return reply;
    }

    private void send(long seq, byte[] value, CompletableFuture<Object> reply) {
        if (reply.isDone()) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(ORIGIN_HEADER, ByteBuffer.allocate(24).putLong(instance.getMostSignificantBits())
                .putLong(instance.getLeastSignificantBits()).putLong(seq).array());
        try {
            producer.send(new ProducerRecord<>(topic, 0, null, null, value, headers), (meta, failure) -> {
                if (failure != null) {
                    failed(reply, failure);
                }
            });
        } catch (RuntimeException e) {
            failed(reply, e);
        }
    }

    private void failed(CompletableFuture<Object> reply, Throwable failure) {
        if (failure instanceof RecordTooLargeException) {
            reply.completeExceptionally(ActionException.invalid("body", "too large for the topic: " + failure.getMessage()));
            return;
        }
        lastSendFailure = System.nanoTime();
        LOG.fine("a write did not reach the topic: " + failure);
        reply.completeExceptionally(new ActionException(ActionException.Kind.UNAVAILABLE,
                "the Kafka brokers did not take the write: " + failure.getMessage()));
    }

    /** Called by the follower with the outcome of an applied command: completes the reply waiting here, if any. */
    void applied(byte[] origin, Object outcome) {
        if (origin == null || origin.length != 24) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(origin);
        if (b.getLong() != instance.getMostSignificantBits() || b.getLong() != instance.getLeastSignificantBits()) {
            return;
        }
        CompletableFuture<Object> reply = pending.remove(b.getLong());
        if (reply == null) {
            return;
        }
        if (outcome instanceof ActionException refused) {
            reply.completeExceptionally(refused);
        } else {
            reply.complete(outcome);
        }
    }

    /** Whether a send failed within the last {@code nanos}: the brokers were not reachable for writes. */
    boolean sendFailedWithin(long nanos) {
        long last = lastSendFailure;
        return last != 0 && System.nanoTime() - last < nanos;
    }

    int waiting() {
        return pending.size();
    }

    /** Bulk requests go as commands that each fit in a record of the topic, in the order of the request. */
    @Override
    public List<List<NewAction>> split(List<NewAction> actions) {
        List<List<NewAction>> parts = new ArrayList<>();
        List<NewAction> part = new ArrayList<>();
        long bytes = CommandCodec.RECORD_BYTES;
        for (NewAction a : actions) {
            long size = CommandCodec.size(a);
            if (!part.isEmpty() && bytes + size > maxCommandBytes) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = CommandCodec.RECORD_BYTES;
            }
            part.add(a);
            bytes += size;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /** Stops sending; replies still waiting end with their timeout or the follower's last applies. */
    @Override
    public void close() {
        timer.shutdown();
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
