package io.actionlog.cluster;

import io.actionlog.action.ActionException;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionChanges;
import io.actionlog.store.WriteCommand;
import io.actionlog.store.Writer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * The thread that makes this node a copy of the topic: it reads the commands in topic order and applies each batch
 * of them through the writer (one writer command per batch, so readers see whole batches), exactly as a single
 * host applies its own writes. Then it records its position ({@link NodePosition}), wakes the requests that wait
 * for a position, and completes this node's own writes among the batch (see {@link KafkaCommands}).
 *
 * <p>A command that the state machine refuses (a conflict, an unknown id) is refused alike on every node, and the
 * topic moves on. A command this node cannot apply (the journal cannot take an entry, a command format it does not
 * know) stops the follower for good: applying the rest would make this node differ from the others. Its health then
 * says so, and a restart either goes on (the cause mended) or rebuilds the copy.
 */
final class Follower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Follower.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long END_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Requests waiting for a position: a bound, so that a flood of them cannot grow the heap. */
    static final int MAX_WAITERS = 10_000;

    private record Waiter(long position, CompletableFuture<Void> reached) {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final Writer writer;
    private final ActionChanges changes;
    private final Journal journal;
    private final NodePosition position;
    private final KafkaCommands commands;
    private final UUID topicUuid;
    private final Thread thread;
    /** What the journal already holds of the first command to apply; null once it is applied. Writer thread. */
    private Resume resume;
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>((a, b) -> Long.compare(a.position, b.position));
    private volatile long next;
    private volatile long end = -1;
    private volatile boolean brokersReachable = true;
    private volatile String stoppedBy;
    private volatile boolean running = true;
    private long endCheckedAt;

    Follower(Consumer<byte[], byte[]> consumer, TopicCheck.Topic topic, long from, Writer writer,
             ActionChanges changes, Journal journal, NodePosition position, KafkaCommands commands, Resume resume) {
        this.consumer = consumer;
        this.partition = new TopicPartition(topic.name(), 0);
        this.writer = writer;
        this.changes = changes;
        this.journal = journal;
        this.position = position;
        this.commands = commands;
        this.topicUuid = topic.uuid();
        this.resume = resume;
        this.next = from;
        this.thread = new Thread(this::loop, "actionlog-follower");
    }

    /** Starts following; returns the topic's end as it was then (-1 when the brokers did not say within 5 s). */
    long start() {
        consumer.assign(List.of(partition));
        consumer.seek(partition, next);
        long endAtStart = -1;
        try {
            endAtStart = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5)).get(partition);
            end = endAtStart;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            brokersReachable = false;
        }
        thread.start();
        return endAtStart;
    }

    /** The offset of the next command to apply: every command before it is applied here. */
    long position() {
        return next;
    }

    /** The end of the topic as last seen (-1 before the first look). */
    long end() {
        return end;
    }

    boolean brokersReachable() {
        return brokersReachable;
    }

    /** Why the follower stopped applying, or null while it follows. */
    String stoppedBy() {
        return stoppedBy;
    }

    /**
     * Completes once {@code wanted} commands are applied here (at once if they are); a caller bounds the wait and
     * completes it exceptionally itself. Refused (completed exceptionally) when too many requests already wait.
     */
    CompletableFuture<Void> reached(long wanted) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (wanted <= next) {
            f.complete(null);
            return f;
        }
        synchronized (waiters) {
            if (waiters.size() >= MAX_WAITERS) {
                f.completeExceptionally(new ActionException(ActionException.Kind.UNAVAILABLE,
                        "too many requests waiting for a position; try again"));
                return f;
            }
            Waiter w = new Waiter(wanted, f);
            waiters.add(w);
            f.whenComplete((v, t) -> {
                if (t != null) {
                    synchronized (waiters) {
                        waiters.remove(w);
                    }
                }
            });
        }
        wake();
        return f;
    }

    private void wake() {
        List<Waiter> due = new ArrayList<>();
        synchronized (waiters) {
            while (!waiters.isEmpty() && waiters.peek().position <= next) {
                due.add(waiters.poll());
            }
        }
        due.forEach(w -> w.reached.complete(null));
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    apply(records.records(partition));
                }
                checkEnd();
            }
        } catch (WakeupException e) {
            // close() asked the poll to return
        } catch (RuntimeException | InterruptedException | ExecutionException | IOException e) {
            stoppedBy = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.toString();
            LOG.log(Level.SEVERE, "stopped applying the topic at offset " + next + ": this node's copy is no "
                    + "longer kept up; restart it once the cause is mended (" + stoppedBy + ")", e);
        }
    }

    private void apply(List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException, ExecutionException,
            IOException {
        List<WriteCommand> batch = new ArrayList<>(records.size());
        long[] offsets = new long[records.size()];
        for (ConsumerRecord<byte[], byte[]> r : records) {
            offsets[batch.size()] = r.offset();
            try {
                batch.add(CommandCodec.decode(r.value()));
            } catch (IllegalArgumentException e) {
                throw new ClusterException("the command at offset " + r.offset() + " cannot be applied: "
                        + e.getMessage(), e);
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> outcomes = (List<Object>) writer.submit(appender -> applyAll(batch, offsets, appender)).get();
        wake();
        for (int i = 0; i < records.size(); i++) {
            Header origin = records.get(i).headers().lastHeader(KafkaCommands.ORIGIN_HEADER);
            commands.applied(origin == null ? null : origin.value(), outcomes.get(i));
        }
    }

    /**
     * Every command of the batch, on the writer thread. A refusal is the command's outcome; an append that failed
     * is not (the journal could not take an entry, so this node can no longer match the others) and fails the batch.
     * The position is recorded after each command, so that a node stopped anywhere holds the entries of at most one
     * command past its record ({@link Resume}), and advanced with it.
     */
    private List<Object> applyAll(List<WriteCommand> batch, long[] offsets, Writer.Appender appender) {
        boolean[] appendFailed = {false};
        Writer.Appender watched = (entry, ahead) -> {
            try {
                return appender.append(entry, ahead);
            } catch (RuntimeException e) {
                appendFailed[0] = true;
                throw e;
            }
        };
        List<Object> outcomes = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            WriteCommand command = remainder(batch.get(i), offsets[i]);
            try {
                outcomes.add(command == null ? Resume.ALREADY_APPLIED : changes.apply(command, watched));
            } catch (ActionException e) {
                outcomes.add(e);
            }
            if (appendFailed[0]) {
                throw new ClusterException("the journal could not take an entry");
            }
            record(offsets[i] + 1, journal.size());
            // Here, under the index's write lock, not once the batch is synced: a read that sees the command's
            // entries must not carry a position before it, or a client taking that position to another node could
            // read less there than it has already seen.
            next = offsets[i] + 1;
        }
        return outcomes;
    }

    /** The command, less what the journal already holds of it when it is the one the node stopped in. */
    private WriteCommand remainder(WriteCommand command, long offset) {
        if (resume == null || resume.offset() != offset) {
            return command;
        }
        Resume r = resume;
        resume = null;
        try {
            return r.remainder(command);
        } catch (ClusterException e) {
            // A record no start resumes from: the next one rebuilds the copy.
            record(offset, -1);
            throw e;
        }
    }

    private void record(long nextOffset, long journalSize) {
        try {
            position.write(topicUuid, nextOffset, journalSize);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("node position not recorded", e);
        }
    }

    /** About once a second, the topic's end: how far behind this node is, and whether the brokers answer. */
    private void checkEnd() {
        long now = System.nanoTime();
        if (now - endCheckedAt < END_CHECK_NANOS) {
            return;
        }
        endCheckedAt = now;
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), Duration.ofSeconds(1));
            end = ends.get(partition);
            brokersReachable = true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            brokersReachable = false;
        }
    }

    /** Stops after the batch being applied; records the position for the next start. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            position.force();
            position.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "node position not closed cleanly", e);
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
