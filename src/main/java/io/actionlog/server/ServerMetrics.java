package io.actionlog.server;

import io.actionlog.http.AuthThrottle;
import io.actionlog.http.ConnectionGuard;
import io.actionlog.http.SendBudget;
import io.actionlog.integrity.Checkpointer;
import io.actionlog.integrity.Integrity;
import io.actionlog.store.ActionStore;
import io.actionlog.stream.Streams;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The state of the server's parts as meters that are read when {@code /metrics} is scraped: nothing here runs on
 * the request path. Labels are fixed: a timeout reason, a stream transport, the data directory's path.
 */
final class ServerMetrics {
    private ServerMetrics() {
    }

    static void store(MeterRegistry registry, ActionStore store, long replayMillis) {
        Gauge.builder("actionlog.index.actions", store.index(), i -> i.size())
                .description("actions in the index").register(registry);
        Gauge.builder("actionlog.index.heap", store.index(), i -> i.stats().heapBytes()).baseUnit("bytes")
                .description("heap taken by the index (its own estimate)").register(registry);
        Gauge.builder("actionlog.journal", store, ActionStore::journalBytes).baseUnit("bytes")
                .description("bytes of data in the journal (what retention.max_journal_bytes counts)").register(registry);
        Gauge.builder("actionlog.replay", () -> replayMillis / 1000.0).baseUnit("seconds")
                .description("time the start-up replay took").register(registry);
        Gauge.builder("actionlog.writer.queue", store, ActionStore::writesWaiting)
                .description("writes waiting for the writer thread").register(registry);
        Gauge.builder("actionlog.jvm.heap.used", Runtime.getRuntime(), rt -> rt.totalMemory() - rt.freeMemory())
                .baseUnit("bytes").description("heap in use").register(registry);
    }

    /**
     * Tamper evidence: the tree against the journal, and the signing of checkpoints. An alert on
     * {@code actionlog_integrity_tree_behind} growing, or on unsigned leaves ({@code tree_leaves - signed_leaves})
     * while no checkpoint was signed for several {@code integrity.checkpoint_seconds}, finds what the log says once.
     */
    static void integrity(MeterRegistry registry, Integrity integrity) {
        Checkpointer checkpoints = integrity.checkpointer();
        Gauge.builder("actionlog.integrity.tree.leaves", integrity, Integrity::treeLeaves)
                .description("leaves in the Merkle tree (journal entries hashed into it)").register(registry);
        Gauge.builder("actionlog.integrity.tree.behind", integrity, Integrity::treeBehind)
                .description("journal entries not yet in the Merkle tree: a batch in flight, or, growing, entries "
                        + "missed while the tree's writes fail").register(registry);
        Gauge.builder("actionlog.integrity.signed.leaves", checkpoints, Checkpointer::signedSize)
                .description("leaves the latest signed checkpoint covers").register(registry);
        FunctionCounter.builder("actionlog.integrity.checkpoints", checkpoints, Checkpointer::signedCount)
                .description("checkpoints signed by this process").register(registry);
        FunctionCounter.builder("actionlog.integrity.checkpoint.failures", checkpoints, Checkpointer::failures)
                .description("checkpoints that could not be signed or stored (each logged)").register(registry);
        Gauge.builder("actionlog.integrity.checkpoint.signed.timestamp", checkpoints, c -> c.signedAt() / 1000.0)
                .baseUnit("seconds").description("when this process last signed a checkpoint (Unix time), 0 before "
                        + "its first").register(registry);
    }

    /** A cluster node: how far it has applied the topic, and how far behind its end it is. */
    static void cluster(MeterRegistry registry, io.actionlog.cluster.ClusterNode node) {
        Gauge.builder("actionlog.cluster.position", node, io.actionlog.cluster.ClusterNode::position)
                .description("topic commands applied by this node").register(registry);
        Gauge.builder("actionlog.cluster.lag", node, io.actionlog.cluster.ClusterNode::lag)
                .description("topic commands not yet applied by this node (as of the last look at the topic's end)")
                .register(registry);
        Gauge.builder("actionlog.cluster.up", node, n -> n.status().equals("UP") ? 1 : 0)
                .description("1 while the brokers answer and this node applies the topic (health UP), else 0")
                .register(registry);
    }

    static void connections(MeterRegistry registry, ConnectionGuard connections, SendBudget sends) {
        Gauge.builder("actionlog.http.unsent", sends, SendBudget::held).baseUnit("bytes")
                .description("bytes of answers handed to connections and not yet taken by their clients")
                .register(registry);
        FunctionCounter.builder("actionlog.http.unsent.refused", sends, SendBudget::refused)
                .description("answers refused (503) and download chunks held back because http.max_unsent_bytes "
                        + "was spent").register(registry);
        Gauge.builder("actionlog.http.connections.open", connections, ConnectionGuard::open)
                .description("open HTTP connections, streams included").register(registry);
        FunctionCounter.builder("actionlog.http.connections.refused", connections, ConnectionGuard::refused)
                .description("connections closed on arrival (http.max_connections)").register(registry);
        for (ConnectionGuard.Timeout why : ConnectionGuard.Timeout.values()) {
            FunctionCounter.builder("actionlog.http.connections.timed.out", connections, c -> c.timedOut(why))
                    .description("connections closed by a timeout")
                    .tag("reason", why.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    static void streams(MeterRegistry registry, Streams streams) {
        Gauge.builder("actionlog.streams.open", streams, Streams::openWebSockets).tag("transport", "websocket")
                .description("open live streams, by transport").register(registry);
        Gauge.builder("actionlog.streams.open", streams, Streams::openEventSources).tag("transport", "sse")
                .description("open live streams, by transport").register(registry);
        Gauge.builder("actionlog.streams.unsent", streams, Streams::unsentBytes).baseUnit("bytes")
                .description("characters of stream frames written to connections and not yet taken by them")
                .register(registry);
    }

    static void auth(MeterRegistry registry, AuthThrottle throttle) {
        FunctionCounter.builder("actionlog.auth.failures", throttle, AuthThrottle::failures)
                .description("authentications refused for wrong credentials (missing ones are not counted)")
                .register(registry);
        Gauge.builder("actionlog.auth.blocked.addresses", throttle, AuthThrottle::blocked)
                .description("client addresses refused now for too many failed authentications (auth.max_failures)")
                .register(registry);
    }

    /** {@code disk_free_bytes} and {@code disk_total_bytes} of the file system holding the data directory. */
    static void disk(MeterRegistry registry, Path dataDir) {
        new DiskSpaceMetrics(dataDir.toFile()).bindTo(registry);
    }
}
