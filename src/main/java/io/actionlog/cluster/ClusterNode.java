package io.actionlog.cluster;

import io.actionlog.action.ActionException;
import io.actionlog.action.NewAction;
import io.actionlog.config.Config;
import io.actionlog.integrity.Integrity;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionChanges;
import io.actionlog.store.CommandPath;
import io.actionlog.store.WriteCommand;
import io.actionlog.store.Writer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One node of a cluster: the topic is the source of truth, this node's journal and index a copy it keeps by
 * applying the topic's commands in order ({@link Follower}); its writes go to the topic first ({@link KafkaCommands}).
 * Opened in two steps around the journal's replay: {@link #prepare} before (check the topic, decide whether the
 * local copy resumes or is rebuilt), {@link #start} after (the producer and the follower).
 *
 * <p>A node whose copy resumes and whose brokers do not answer at start starts anyway, unlinked: it answers reads
 * from its copy, refuses writes (503) and tries the topic check again in the background ({@link TopicRetry}). Once
 * the check passes it links (producer and follower, from its recorded position) and takes writes. A check that
 * fails then (an unsafe setting, a topic of another id) leaves it unlinked for good: reads from its copy, no writes,
 * nothing applied, {@code /health} DOWN with the reason, until an operator mends the cause and restarts it. Staying
 * up rather than exiting keeps the reads of a copy that was right when it was made, and a restart would refuse the
 * same topic anyway. {@code link} is written once, by the starting thread or the retry thread.
 */
public final class ClusterNode implements AutoCloseable {
    /** On every answer: the number of topic commands this node had applied when the answer's headers went out. */
    public static final String POSITION_HEADER = "X-Actionlog-Position";
    /** On a request: answer only once this node has applied at least this many commands (bounded wait). */
    public static final String MIN_POSITION_HEADER = "X-Actionlog-Min-Position";

    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

    static {
        KafkaLog.quiet();
    }

    /**
     * What {@link #prepare} decided: the topic (null when the brokers did not answer: the node starts unlinked), the
     * offset the follower starts from, whether the local copy is to be rebuilt, what of the command at {@code from}
     * the journal already holds (null: nothing), and the id of the topic the local copy was made from (null: none).
     */
    public record Prepared(TopicCheck.Topic topic, long from, boolean rebuild, Resume resume, java.util.UUID copyOf) {
    }

    /** What a node that reached the brokers uses of them; {@code endAtStart}: the topic's end then (-1: unknown). */
    private record Link(TopicCheck.Topic topic, KafkaCommands commands, Follower follower, long endAtStart) {
    }

    private final Config.Cluster config;
    /** The position of the local copy before the node linked: what it answers meanwhile. */
    private final long from;
    private final CommandPath path = new Writes();
    private volatile Link link;
    /** Why this node will not link (the topic failed its check once the brokers answered), or null. */
    private volatile String refused;
    /** Whether the brokers answered the check of an unlinked node, whatever they said. */
    private volatile boolean answered;
    private volatile TopicRetry retry;
    private boolean closed;

    private ClusterNode(Config.Cluster config, long from) {
        this.config = config;
        this.from = from;
    }

    /**
     * Checks the topic (creating it when missing) and this node's position in it, before the journal is replayed.
     * A rebuild means the caller discards the local copy ({@link #discardLocalCopy}) and replays nothing. Brokers
     * that do not answer end the start, naming {@code kafka.bootstrap_servers}, unless the local copy resumes: that
     * node starts unlinked (see the class doc).
     */
    public static Prepared prepare(Config config, Journal journal) throws IOException, InterruptedException {
        if (config.retention().days() != 0 || config.retention().maxJournalBytes() != 0) {
            throw new ClusterException("retention.days and retention.max_journal_bytes must be 0 with "
                    + "journal.kind=kafka: the topic holds the history, and its nodes must keep the same copy of it");
        }
        LocalCopy local = LocalCopy.read(config, journal);
        TopicCheck.Topic topic;
        try {
            topic = KafkaClients.checkTopic(config);
        } catch (TopicCheck.NoAnswer e) {
            if (!local.resumes()) {
                throw e;
            }
            LOG.warning(e.getMessage() + ". Starting on the local copy at offset " + local.stored().nextOffset()
                    + ": reads are answered from it, writes are refused until the brokers answer and the topic passes "
                    + "its check, which is tried again in the background");
            return new Prepared(null, local.stored().nextOffset(), false, null, local.stored().topicId());
        }
        return decide(config, local, topic);
    }

    /** With the topic checked: where the local copy resumes, or that it is rebuilt. */
    private static Prepared decide(Config config, LocalCopy local, TopicCheck.Topic topic) {
        Config.Cluster c = config.cluster();
        if (local.isNew()) {
            LOG.info("new cluster node " + c.node() + ": applying topic " + topic.name() + " from its start");
            return new Prepared(topic, 0, false, null, null);
        }
        NodePosition.Stored stored = local.stored();
        if (stored != null && !stored.topicId().equals(topic.uuid())) {
            throw new ClusterException(otherTopic(config, stored.topicId(), topic));
        }
        if (local.rebuild()) {
            LOG.warning("the local copy does not match its recorded position (journal " + local.journalEntries()
                    + " entries, recorded " + (stored == null ? "unreadable" : stored.journalSize())
                    + "); rebuilding the copy from the topic " + topic.name());
            return new Prepared(topic, 0, true, null, topic.uuid());
        }
        Resume resume = local.resume();
        if (resume != null && !LeftoverCheck.fits(KafkaClients.consumer(c, topic, "resume-check"), topic,
                stored.nextOffset(), resume, c.writeTimeoutMs())) {
            LOG.warning("the journal holds " + resume.entries() + " entries past its recorded position that the "
                    + "command at offset " + stored.nextOffset() + " did not make; rebuilding the copy from the topic "
                    + topic.name());
            return new Prepared(topic, 0, true, null, topic.uuid());
        }
        LOG.info("cluster node " + c.node() + " resumes topic " + topic.name() + " at offset " + stored.nextOffset()
                + (resume == null ? "" : ", whose command the journal already holds " + resume.entries()
                + " entries of (the node stopped before recording them)"));
        return new Prepared(topic, stored.nextOffset(), false, resume, topic.uuid());
    }

    private static String otherTopic(Config config, java.util.UUID copyOf, TopicCheck.Topic topic) {
        return "the data directory " + config.dataDir() + " was built from another topic (id " + copyOf + "; "
                + topic.name() + " now has id " + topic.uuid() + "): move the directory away and the node rebuilds "
                + "its copy from the topic";
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

    /**
     * After the replay, with the writer running: the write path and the follower, from the prepared offset; or, when
     * the brokers did not answer at {@link #prepare}, the retry that makes them once the topic passes its check.
     */
    public static ClusterNode start(Config config, Prepared prepared, Writer writer, ActionChanges changes,
                                    Journal journal) throws IOException {
        ClusterNode node = new ClusterNode(config.cluster(), prepared.from());
        if (prepared.topic() != null) {
            node.link = link(config, prepared.topic(), prepared, writer, changes, journal);
            return node;
        }
        node.retry = new TopicRetry(() -> KafkaClients.checkTopic(config),
                topic -> node.linkLate(config, topic, prepared, writer, changes, journal),
                failure -> node.refuse(failure.getMessage()));
        node.retry.start();
        return node;
    }

    private static Link link(Config config, TopicCheck.Topic topic, Prepared prepared, Writer writer,
                             ActionChanges changes, Journal journal) throws IOException {
        Config.Cluster c = config.cluster();
        KafkaCommands commands = new KafkaCommands(new KafkaProducer<>(KafkaClients.producer(c, topic),
                new ByteArraySerializer(), new ByteArraySerializer()), topic.name(), topic.maxMessageBytes(),
                c.writeTimeoutMs(), config.writerQueueCapacity());
        NodePosition position = null;
        KafkaConsumer<byte[], byte[]> consumer = null;
        try {
            position = NodePosition.open(config.dataDir());
            if (prepared.from() == 0 && journal.size() == 0) {
                // Where the copy starts, recorded before anything is applied: a node stopped before its first command
                // is then a node of this topic at offset 0, not a directory without a position.
                position.write(topic.uuid(), 0, 0);
            }
            consumer = new KafkaConsumer<>(KafkaClients.consumer(c, topic, "consumer"), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            Follower follower = new Follower(consumer, topic, prepared.from(), writer, changes, journal, position,
                    commands, prepared.resume());
            long end = follower.start();
            return new Link(topic, commands, follower, end);
        } catch (IOException | RuntimeException e) {
            // A node that goes on unlinked (see linkLate) must not keep clients or files nobody closes.
            commands.close();
            if (consumer != null) {
                consumer.close(java.time.Duration.ZERO);
            }
            closeQuietly(position);
            throw e;
        }
    }

    private static void closeQuietly(NodePosition position) {
        if (position == null) {
            return;
        }
        try {
            position.close();
        } catch (IOException e) {
            LOG.warning("node position not closed: " + e);
        }
    }

    /** On the retry thread, once the brokers answered and the topic passed its check. */
    private void linkLate(Config config, TopicCheck.Topic topic, Prepared prepared, Writer writer,
                          ActionChanges changes, Journal journal) {
        answered = true;
        if (!topic.uuid().equals(prepared.copyOf())) {
            refuse(otherTopic(config, prepared.copyOf(), topic));
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                link = link(config, topic, prepared, writer, changes, journal);
            } catch (IOException | RuntimeException e) {
                refuse("the producer or the follower could not be made: " + e);
                return;
            }
        }
        LOG.info("the brokers answer and topic " + topic.name() + " passed its check: applying it from offset "
                + prepared.from() + "; writes are taken again");
    }

    private void refuse(String why) {
        answered = true;
        refused = why;
        LOG.severe(why + ". This node answers reads from its copy at offset " + from + ", takes no writes and applies "
                + "nothing; /health says DOWN. Mend the cause and restart the node");
    }

    /**
     * Waits, on the starting thread, until the node has applied the topic up to where it ended when the node
     * started, logging progress every few seconds: until then the port answers 503 STARTING, so that no client
     * (nor a load balancer) reads a copy that is still being rebuilt, and a write does not wait behind the whole
     * backlog. A node that stops applying, or brokers that never said where the topic ends, end the wait at once.
     */
    public void catchUp() throws InterruptedException {
        Link l = link;
        if (l == null || l.endAtStart() <= l.follower().position()) {
            return;
        }
        Follower follower = l.follower();
        long end = l.endAtStart();
        String topic = l.topic().name();
        long t0 = System.nanoTime();
        long start = follower.position();
        LOG.info("applying topic " + topic + " from offset " + start + " to " + end + " before serving");
        while (follower.position() < end && follower.stoppedBy() == null) {
            try {
                follower.reached(end).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.info("applying topic " + topic + ": at offset " + follower.position() + " of " + end);
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        LOG.info(String.format(java.util.Locale.ROOT, "applied %d commands of topic %s in %.1f s (%.0f/s)",
                follower.position() - start, topic, seconds, (follower.position() - start) / seconds));
    }

    public CommandPath commands() {
        return path;
    }

    /** Writes go to the topic once the node is linked; until then they are refused at once (503). */
    private final class Writes implements CommandPath {
        @Override
        public CompletableFuture<Object> submit(WriteCommand command) {
            Link l = link;
            return l != null ? l.commands().submit(command)
                    : CompletableFuture.failedFuture(unlinked("takes no writes"));
        }

        /**
         * Unlinked, the largest record the topic takes is not known yet: one action a command, so that a request cut
         * here and submitted once the node has linked sends no command too large for the topic (a 400 its client would
         * not repeat). Unlinked, the commands are refused at once anyway.
         */
        @Override
        public List<List<NewAction>> split(List<NewAction> actions) {
            Link l = link;
            return l != null ? l.commands().split(actions) : actions.stream().map(List::of).toList();
        }
    }

    private ActionException unlinked(String what) {
        String why = refused;
        return new ActionException(ActionException.Kind.UNAVAILABLE, "this node " + what + ": " + (why != null ? why
                : "the Kafka brokers (kafka.bootstrap_servers) have not answered since it started; it answers reads "
                + "from its copy meanwhile"));
    }

    public long position() {
        Link l = link;
        return l == null ? from : l.follower().position();
    }

    /** See {@link Follower#reached}; an unlinked node applies nothing, so it refuses a position past its own. */
    public CompletableFuture<Void> reached(long wanted) {
        Link l = link;
        if (l != null) {
            return l.follower().reached(wanted);
        }
        return wanted <= from ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(unlinked("has applied " + from + " commands, not " + wanted));
    }

    /** Commands in the topic not yet applied here, as of the last look at the topic's end (0 before the first). */
    public long lag() {
        Link l = link;
        long end = l == null ? -1 : l.follower().end();
        return end < 0 ? 0 : Math.max(0, end - l.follower().position());
    }

    public int readWaitMs() {
        return config.readWaitMs();
    }

    /**
     * UP, DEGRADED (the brokers do not answer: reads only) or DOWN (this node stopped applying the topic, or will not
     * start to: its check failed once the brokers answered).
     */
    public String status() {
        Link l = link;
        if (refused != null || (l != null && l.follower().stoppedBy() != null)) {
            return "DOWN";
        }
        if (l == null) {
            return "DEGRADED";
        }
        boolean sendsFailing = l.commands().sendFailedWithin(TimeUnit.SECONDS.toNanos(5));
        return l.follower().brokersReachable() && !sendsFailing ? "UP" : "DEGRADED";
    }

    /** What /health shows of the node. */
    public void health(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        Link l = link;
        long position = position();
        long end = l == null ? -1 : l.follower().end();
        String stoppedBy = refused != null ? refused : l == null ? null : l.follower().stoppedBy();
        g.writeObjectFieldStart("cluster");
        g.writeStringField("node", config.node());
        g.writeStringField("topic", config.topic());
        g.writeNumberField("position", position);
        // The end is sampled once a second; a node that has applied past it shows its own position instead.
        g.writeNumberField("topic_end", Math.max(end, position));
        g.writeNumberField("lag", lag());
        g.writeBooleanField("brokers_reachable", l == null ? answered : l.follower().brokersReachable());
        g.writeNumberField("writes_waiting", l == null ? 0 : l.commands().waiting());
        if (stoppedBy != null) {
            g.writeStringField("stopped_by", stoppedBy);
        }
        g.writeEndObject();
    }

    /** Stops trying to link, stops taking writes, then stops the follower once its batch is applied and recorded. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (retry != null) {
            retry.close();
        }
        Link l = link;
        if (l != null) {
            l.commands().close();
            l.follower().close();
        }
    }
}
