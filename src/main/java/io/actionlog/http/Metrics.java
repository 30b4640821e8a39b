package io.actionlog.http;

import io.actionlog.index.IndexStats;
import io.actionlog.store.ActionStore;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts and latencies per API face, and the sizes of the journal and the index, as Prometheus text at
 * {@code GET /metrics}. Counting costs two adders per request; nothing here takes a lock on the request path.
 *
 * <p>Every label comes from a closed set, whatever a client sends: the face (three), the method (the nine standard
 * ones, anything else {@code OTHER}) and the status (100-599, anything else {@code other}). A client inventing
 * method names therefore cannot add a series: there are at most 3 x 10 x 501 request counters, each made on first
 * use.
 */
public final class Metrics {
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5};
    private static final List<String> FACES = List.of("tutum", "waldur", "ops");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "OTHER");
    /** 100-599, then one slot for any other code. */
    private static final int STATUSES = 501;
    /** Faces x methods x statuses. */
    private static final int SLOTS = 3 * 10 * STATUSES;

    private final AtomicReferenceArray<LongAdder> requests = new AtomicReferenceArray<>(SLOTS);
    private final Histogram[] latency = new Histogram[FACES.size()];
    private final ActionStore store;
    private final long replayMillis;
    private final ConnectionGuard connections;

    public Metrics(ActionStore store, long replayMillis, ConnectionGuard connections) {
        this.store = store;
        this.replayMillis = replayMillis;
        this.connections = connections;
        for (int f = 0; f < latency.length; f++) {
            latency[f] = new Histogram();
        }
    }

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final LongAdder micros = new LongAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void add(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            micros.add((long) (seconds * 1e6));
        }
    }

    /** First handler of every request: times it and counts it by face, method and status when it ends. */
    public void track(RoutingContext ctx) {
        long t0 = System.nanoTime();
        ctx.addBodyEndHandler(v -> {
            int face = face(ctx.request().path());
            int slot = (face * METHODS.size() + method(ctx.request().method().name())) * STATUSES
                    + status(ctx.response().getStatusCode());
            LongAdder n = requests.get(slot);
            if (n == null) {
                requests.compareAndSet(slot, null, new LongAdder());
                n = requests.get(slot);
            }
            n.increment();
            latency[face].add((System.nanoTime() - t0) / 1e9);
        });
        ctx.next();
    }

    private static int face(String path) {
        if (path.startsWith("/api/v1/")) {
            return 0;
        }
        return path.startsWith("/api/user-action-executions") ? 1 : 2;
    }

    private static int method(String name) {
        int i = METHODS.indexOf(name);
        return i < 0 ? METHODS.size() - 1 : i;
    }

    private static int status(int code) {
        return code >= 100 && code <= 599 ? code - 100 : STATUSES - 1;
    }

    public void render(RoutingContext ctx) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# TYPE actionlog_http_requests_total counter\n");
        for (int slot = 0; slot < SLOTS; slot++) {
            LongAdder n = requests.get(slot);
            if (n != null) {
                int status = slot % STATUSES;
                sb.append("actionlog_http_requests_total{face=\"").append(FACES.get(slot / STATUSES / METHODS.size()))
                        .append("\",method=\"").append(METHODS.get(slot / STATUSES % METHODS.size()))
                        .append("\",status=\"").append(status == STATUSES - 1 ? "other" : status + 100)
                        .append("\"} ").append(n.sum()).append('\n');
            }
        }
        sb.append("# TYPE actionlog_http_request_duration_seconds histogram\n");
        for (int f = 0; f < latency.length; f++) {
            histogram(sb, FACES.get(f), latency[f]);
        }
        connectionMetrics(sb);
        IndexStats stats = store.index().stats();
        gauge(sb, "actionlog_index_actions", "actions in the index", stats.actions());
        gauge(sb, "actionlog_index_heap_bytes", "heap taken by the index (its own estimate)", stats.heapBytes());
        gauge(sb, "actionlog_journal_bytes", "bytes of the journal on disk", store.journalBytes());
        gauge(sb, "actionlog_replay_seconds", "time the start-up replay took", replayMillis / 1000.0);
        gauge(sb, "actionlog_writer_queue", "writes waiting for the writer thread", store.writesWaiting());
        Runtime rt = Runtime.getRuntime();
        gauge(sb, "actionlog_jvm_heap_used_bytes", "heap in use", rt.totalMemory() - rt.freeMemory());
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(sb.toString());
    }

    private void connectionMetrics(StringBuilder sb) {
        gauge(sb, "actionlog_http_connections_open", "open HTTP connections, streams included", connections.open());
        sb.append("# HELP actionlog_http_connections_refused_total connections closed on arrival (http.max_connections)\n")
                .append("# TYPE actionlog_http_connections_refused_total counter\n")
                .append("actionlog_http_connections_refused_total ").append(connections.refused()).append('\n');
        sb.append("# HELP actionlog_http_connections_timed_out_total connections closed by a timeout\n")
                .append("# TYPE actionlog_http_connections_timed_out_total counter\n");
        for (ConnectionGuard.Timeout why : ConnectionGuard.Timeout.values()) {
            sb.append("actionlog_http_connections_timed_out_total{reason=\"")
                    .append(why.name().toLowerCase(Locale.ROOT)).append("\"} ").append(connections.timedOut(why))
                    .append('\n');
        }
    }

    private static void histogram(StringBuilder sb, String face, Histogram h) {
        long cumulative = 0;
        for (int i = 0; i <= BUCKETS.length; i++) {
            cumulative += h.counts[i].sum();
            String le = i < BUCKETS.length ? String.format(Locale.ROOT, "%s", BUCKETS[i]) : "+Inf";
            sb.append("actionlog_http_request_duration_seconds_bucket{face=\"").append(face).append("\",le=\"")
                    .append(le).append("\"} ").append(cumulative).append('\n');
        }
        sb.append("actionlog_http_request_duration_seconds_sum{face=\"").append(face).append("\"} ")
                .append(String.format(Locale.ROOT, "%.6f", h.micros.sum() / 1e6)).append('\n');
        sb.append("actionlog_http_request_duration_seconds_count{face=\"").append(face).append("\"} ")
                .append(cumulative).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value == Math.rint(value) ? Long.toString((long) value)
                        : String.format(Locale.ROOT, "%.3f", value)).append('\n');
    }
}
