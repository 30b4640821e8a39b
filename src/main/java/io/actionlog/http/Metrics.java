package io.actionlog.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's Micrometer registry, served as Prometheus text at {@code GET /metrics}, and the count of requests per
 * API face. One registry per server, never Micrometer's global one, so that servers sharing a JVM (tests) keep
 * their series apart. Vert.x reports into it too ({@link #vertxOptions}): its HTTP server metrics and the JVM's.
 *
 * <p>Every label comes from a closed set, whatever a client sends: the face (three), the method (the nine standard
 * ones, anything else {@code OTHER}) and the status (100-599, anything else {@code other}). A client inventing
 * method names therefore cannot add a series: there are at most 3 x 10 x 501 request counters, each made on first
 * use. Vert.x's own series pass a filter that maps their {@code method} and {@code code} labels the same way, and
 * they carry no path or route label.
 *
 * <p>Counting a request costs one counter and one timer, both lock-free; no meter is looked up by name on the
 * request path once it exists.
 */
public final class Metrics {
    private static final Duration[] BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5);
    private static final List<String> FACES = List.of("tutum", "waldur", "ops");
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "OTHER");
    /** 100-599, then one slot for any other code. */
    private static final int STATUSES = 501;
    /** Faces x methods x statuses. */
    private static final int SLOTS = 3 * 10 * STATUSES;
    /** Names the registry among the ones Vert.x keeps by name for the whole JVM: one per server. */
    private static final AtomicInteger SERVERS = new AtomicInteger();
    /** Held here: java.util.logging keeps loggers weakly, and a collected one would forget its level. */
    private static final Logger REGISTRY_LOG = Logger.getLogger(MeterRegistry.class.getName());

    static {
        // Vert.x registers its gauges again for every HTTP server (one per event loop) and every request, keeping
        // their values in a map of its own; Micrometer warns about the first such registration. It is meant.
        REGISTRY_LOG.setLevel(Level.SEVERE);
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String registryName = "actionlog-" + SERVERS.incrementAndGet();
    private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(SLOTS);
    private final Timer[] latency = new Timer[FACES.size()];

    public Metrics() {
        registry.config()
                .meterFilter(MeterFilter.replaceTagValues("method", m -> METHODS.contains(m) ? m : "OTHER"))
                .meterFilter(MeterFilter.replaceTagValues("code", Metrics::statusLabel));
        for (int f = 0; f < latency.length; f++) {
            latency[f] = Timer.builder("actionlog.http.request.duration")
                    .description("time from a request's arrival to the end of its response, per API face")
                    .tag("face", FACES.get(f))
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * What Vert.x reports into this registry: the JVM (memory, GC, threads, classes, CPU) and, when {@code http} is
     * set (configuration key metrics.vertx_http), the HTTP server (requests by method and status, bytes, open
     * connections and WebSockets). The HTTP server's meters are off by default: on two busy event loops they cost
     * about 15 us of CPU a single POST (docs/benchmarks.md), while this class's own counter and histogram cost well
     * under one. The other domains are unused.
     */
    public MicrometerMetricsOptions vertxOptions(boolean http) {
        MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
                .setRegistryName(registryName)
                .setJvmMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE));
        for (MetricsDomain unused : List.of(MetricsDomain.EVENT_BUS, MetricsDomain.NET_SERVER,
                MetricsDomain.NET_CLIENT, MetricsDomain.HTTP_CLIENT, MetricsDomain.DATAGRAM_SOCKET,
                MetricsDomain.NAMED_POOLS)) {
            options.addDisabledMetricsCategory(unused);
        }
        if (!http) {
            options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
        }
        return options;
    }

    /** First handler of every request: times it and counts it by face, method and status when it ends. */
    public void track(RoutingContext ctx) {
        long t0 = System.nanoTime();
        ctx.addBodyEndHandler(v -> {
            int face = face(ctx.request().path());
            int method = method(ctx.request().method().name());
            int status = status(ctx.response().getStatusCode());
            int slot = (face * METHODS.size() + method) * STATUSES + status;
            Counter n = requests.get(slot);
            if (n == null) {
                n = Counter.builder("actionlog.http.requests")
                        .description("requests answered, by API face, method and status")
                        .tags("face", FACES.get(face), "method", METHODS.get(method),
                                "status", status == STATUSES - 1 ? "other" : Integer.toString(status + 100))
                        .register(registry);
                requests.set(slot, n);
            }
            n.increment();
            latency[face].record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
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

    private static String statusLabel(String code) {
        try {
            int n = Integer.parseInt(code);
            return n >= 100 && n <= 599 ? Integer.toString(n) : "other";
        } catch (NumberFormatException e) {
            return "other";
        }
    }

    public void render(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }
}
