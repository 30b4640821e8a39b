package io.actionlog.http;

import io.actionlog.index.IndexStats;
import io.actionlog.store.ActionStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts and latencies per API face, and the sizes of the journal and the index, as Prometheus text at
 * {@code GET /metrics}. Counting costs two adders per request; nothing here takes a lock on the request path.
 */
public final class Metrics {
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final ActionStore store;
    private final long replayMillis;

    public Metrics(ActionStore store, long replayMillis) {
        this.store = store;
        this.replayMillis = replayMillis;
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
            String face = face(ctx.request().path());
            String key = face + "\u0000" + ctx.request().method().name() + "\u0000" + ctx.response().getStatusCode();
            requests.computeIfAbsent(key, k -> new LongAdder()).increment();
            latency.computeIfAbsent(face, k -> new Histogram()).add((System.nanoTime() - t0) / 1e9);
        });
        ctx.next();
    }

    private static String face(String path) {
        if (path.startsWith("/api/v1/")) {
            return "tutum";
        }
        return path.startsWith("/api/user-action-executions") ? "waldur" : "ops";
    }

    public void render(RoutingContext ctx) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# TYPE actionlog_http_requests_total counter\n");
        requests.forEach((key, n) -> {
            String[] k = key.split("\u0000");
            sb.append("actionlog_http_requests_total{face=\"").append(k[0]).append("\",method=\"").append(k[1])
                    .append("\",status=\"").append(k[2]).append("\"} ").append(n.sum()).append('\n');
        });
        sb.append("# TYPE actionlog_http_request_duration_seconds histogram\n");
        latency.forEach((face, h) -> histogram(sb, face, h));
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
