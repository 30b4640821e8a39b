package io.actionlog.cluster;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigException;
import io.actionlog.integrity.Integrity;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionChanges;
import io.actionlog.store.CommandPath;
import io.actionlog.store.Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One node of a cluster: the topic is the source of truth, this node's journal and index a copy it keeps by
 * applying the topic's commands in order ({@link Follower}); its writes go to the topic first ({@link KafkaCommands}).
 * Opened in two steps around the journal's replay: {@link #prepare} before (check the topic, decide whether the
 * local copy resumes or is rebuilt), {@link #start} after (the producer and the follower).
 */
public final class ClusterNode implements AutoCloseable {
    /** On every answer: the number of topic commands this node had applied when the answer's headers went out. */
    public static final String POSITION_HEADER = "X-Actionlog-Position";
    /** On a request: answer only once this node has applied at least this many commands (bounded wait). */
    public static final String MIN_POSITION_HEADER = "X-Actionlog-Min-Position";

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());
    /**
     * The Kafka clients log every setting of every client at INFO when they start, and each reconnection attempt while
     * the brokers are away: held at WARNING, so that the server's own lines stay readable. Kept in a field because
     * the JDK holds loggers weakly and would forget the level.
     */
    private static final Logger KAFKA_LOG = Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * What {@link #prepare} decided: the topic, the offset the follower starts from, whether the local copy is to be
     * rebuilt, and what of the command at {@code from} the journal already holds (null: nothing).
     */
    public record Prepared(TopicCheck.Topic topic, long from, boolean rebuild, Resume resume) {
    }

    private final Config.Cluster config;
    private final TopicCheck.Topic topic;
    private final KafkaCommands commands;
    private final Follower follower;
    /** The topic's end when the node started following it: what it applies before it serves (-1: unknown). */
    private final long endAtStart;

    private ClusterNode(Config.Cluster config, TopicCheck.Topic topic, KafkaCommands commands, Follower follower,
                        long endAtStart) {
        this.config = config;
        this.topic = topic;
        this.commands = commands;
        this.follower = follower;
        this.endAtStart = endAtStart;
    }

    /**
     * Checks the topic (creating it when missing) and this node's position in it, before the journal is replayed.
     * {@code journalEntries} is the local journal's size. A rebuild means the caller discards the local copy
     * ({@link #discardLocalCopy}) and replays nothing.
     */
    public static Prepared prepare(Config config, Journal journal) throws IOException, InterruptedException {
        long journalEntries = journal.size();
        Config.Cluster c = config.cluster();
        if (config.retention().days() != 0 || config.retention().maxJournalBytes() != 0) {
            throw new ClusterException("retention.days and retention.max_journal_bytes must be 0 with "
                    + "journal.kind=kafka: the topic holds the history, and its nodes must keep the same copy of it");
        }
        TopicCheck.Topic topic;
        Admin admin = admin(c);
        try {
            topic = TopicCheck.check(admin, c, config.maxBodyBytes(), c.writeTimeoutMs());
        } finally {
            // Not close(): it waits for a call the check gave up on until the client's own default.api.timeout.ms
            // (a minute), long past kafka.write_timeout_ms.
            admin.close(Duration.ZERO);
        }
        NodePosition.Stored stored = NodePosition.read(config.dataDir());
        boolean positionFileExists = Files.exists(NodePosition.file(config.dataDir()));
        java.util.UUID id = topic.uuid();
        if (stored == null && !positionFileExists) {
            if (journalEntries > 0) {
                throw new ClusterException("the data directory " + config.dataDir() + " holds a single-host journal of "
                        + journalEntries + " entries; a cluster node starts from an empty data directory, which it "
                        + "fills from the topic " + topic.name());
            }
            LOG.info("new cluster node " + c.node() + ": applying topic " + topic.name() + " from its start");
            return new Prepared(topic, 0, false, null);
        }
        if (stored != null && !stored.topicId().equals(id)) {
            throw new ClusterException("the data directory " + config.dataDir() + " was built from another topic "
                    + "(id " + stored.topicId() + "; " + topic.name() + " now has id " + id + "): move the directory "
                    + "away and the node rebuilds its copy from the topic");
        }
        Resume resume = stored == null ? null : Resume.of(journal, stored.nextOffset(), stored.journalSize());
        if (stored == null || (resume == null && stored.journalSize() != journalEntries)) {
            LOG.warning("the local copy does not match its recorded position (journal " + journalEntries
                    + " entries, recorded " + (stored == null ? "unreadable" : stored.journalSize())
                    + "); rebuilding the copy from the topic " + topic.name());
            return new Prepared(topic, 0, true, null);
        }
        LOG.info("cluster node " + c.node() + " resumes topic " + topic.name() + " at offset " + stored.nextOffset()
                + (resume == null ? "" : ", whose command the journal already holds " + resume.entries()
                + " entries of (the node stopped before recording them)"));
        return new Prepared(topic, stored.nextOffset(), false, resume);
    }

    /** Removes what was made from the topic (journal, tree, checkpoints, position); credentials and keys stay. */
    public static void discardLocalCopy(Config config) throws IOException {
        for (Path p : new Path[] {config.journalDir(), Integrity.treeFile(config.dataDir()),
                Integrity.checkpointFile(config.dataDir()), NodePosition.file(config.dataDir())}) {
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(p)) {
                for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(q);
                }
            }
        }
    }

    /** After the replay, with the writer running: the write path and the follower, from the prepared offset. */
    public static ClusterNode start(Config config, Prepared prepared, Writer writer, ActionChanges changes,
                                    Journal journal) throws IOException {
        Config.Cluster c = config.cluster();
        Properties producer = properties(c, "producer");
        producer.put("acks", "all");
        producer.put("enable.idempotence", "true");
        producer.put("max.in.flight.requests.per.connection", "5");
        producer.put("linger.ms", "1");
        producer.put("max.request.size", Integer.toString(prepared.topic().maxMessageBytes()));
        producer.put("delivery.timeout.ms", Integer.toString(c.writeTimeoutMs()));
        producer.put("request.timeout.ms", Integer.toString(Math.max(500, c.writeTimeoutMs() / 2)));
        producer.put("max.block.ms", Integer.toString(c.writeTimeoutMs()));
        KafkaCommands commands = new KafkaCommands(new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer()), prepared.topic().name(), prepared.topic().maxMessageBytes(),
                c.writeTimeoutMs(), config.writerQueueCapacity());
        Properties consumer = properties(c, "consumer");
        consumer.put("enable.auto.commit", "false");
        consumer.put("auto.offset.reset", "none");
        consumer.put("isolation.level", "read_committed");
        // Larger batches for a node catching up (one writer command and one position record each); a node that is
        // up to date gets what arrived since its last poll, usually a few.
        consumer.put("max.poll.records", "2000");
        // A bulk command is up to a megabyte: Kafka's default of one megabyte a fetch would bring one command a round
        // trip to a node catching up. Up to 16 MiB a poll.
        consumer.put("max.partition.fetch.bytes", Integer.toString(Math.max(8 << 20, prepared.topic().maxMessageBytes())));
        consumer.put("fetch.max.bytes", Integer.toString(16 << 20));
        NodePosition position = NodePosition.open(config.dataDir());
        if (prepared.from() == 0 && journal.size() == 0) {
            // Where the copy starts, recorded before anything is applied: a node stopped before its first command is
            // then a node of this topic at offset 0, not a directory without a position.
            position.write(prepared.topic().uuid(), 0, 0);
        }
        Follower follower = new Follower(new KafkaConsumer<>(consumer, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), prepared.topic(), prepared.from(), writer, changes, journal,
                position, commands, prepared.resume());
        long end = follower.start();
        return new ClusterNode(c, prepared.topic(), commands, follower, end);
    }

    /**
     * Waits, on the starting thread, until the node has applied the topic up to where it ended when the node
     * started, logging progress every few seconds: until then the port answers 503 STARTING, so that no client
     * (nor a load balancer) reads a copy that is still being rebuilt, and a write does not wait behind the whole
     * backlog. A node that stops applying, or brokers that never said where the topic ends, end the wait at once.
     */
    public void catchUp() throws InterruptedException {
        if (endAtStart <= follower.position()) {
            return;
        }
        long t0 = System.nanoTime();
        long from = follower.position();
        LOG.info("applying topic " + topic.name() + " from offset " + from + " to " + endAtStart + " before serving");
        while (follower.position() < endAtStart && follower.stoppedBy() == null) {
            try {
                follower.reached(endAtStart).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.info("applying topic " + topic.name() + ": at offset " + follower.position() + " of " + endAtStart);
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        LOG.info(String.format(java.util.Locale.ROOT, "applied %d commands of topic %s in %.1f s (%.0f/s)",
                follower.position() - from, topic.name(), seconds, (follower.position() - from) / seconds));
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

    private static Properties properties(Config.Cluster c, String role) {
        Properties p = new Properties();
        p.putAll(c.clientProperties());
        p.put("bootstrap.servers", c.bootstrapServers());
        p.put("client.id", "actionlog-" + c.node() + "-" + role);
        return p;
    }

    public CommandPath commands() {
        return commands;
    }

    public long position() {
        return follower.position();
    }

    /** See {@link Follower#reached}. */
    public CompletableFuture<Void> reached(long wanted) {
        return follower.reached(wanted);
    }

    /** Commands in the topic not yet applied here, as of the last look at the topic's end. */
    public long lag() {
        long end = follower.end();
        return end < 0 ? 0 : Math.max(0, end - follower.position());
    }

    public int readWaitMs() {
        return config.readWaitMs();
    }

    /** UP, DEGRADED (the brokers do not answer: reads only) or DOWN (this node stopped applying the topic). */
    public String status() {
        if (follower.stoppedBy() != null) {
            return "DOWN";
        }
        boolean sendsFailing = commands.sendFailedWithin(TimeUnit.SECONDS.toNanos(5));
        return follower.brokersReachable() && !sendsFailing ? "UP" : "DEGRADED";
    }

    /** What /health shows of the node. */
    public void health(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        long position = follower.position();
        long end = follower.end();
        g.writeObjectFieldStart("cluster");
        g.writeStringField("node", config.node());
        g.writeStringField("topic", topic.name());
        g.writeNumberField("position", position);
        // The end is sampled once a second; a node that has applied past it shows its own position instead.
        g.writeNumberField("topic_end", Math.max(end, position));
        g.writeNumberField("lag", lag());
        g.writeBooleanField("brokers_reachable", follower.brokersReachable());
        g.writeNumberField("writes_waiting", commands.waiting());
        if (follower.stoppedBy() != null) {
            g.writeStringField("stopped_by", follower.stoppedBy());
        }
        g.writeEndObject();
    }

    /** Stops taking writes, then stops the follower once its batch is applied and recorded. */
    @Override
    public void close() {
        commands.close();
        follower.close();
    }
}
