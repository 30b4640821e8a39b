package io.actionlog.http;

import io.actionlog.cluster.ClusterNode;
import io.actionlog.store.ActionStore;
import io.vertx.ext.web.RoutingContext;

/**
 * Operational endpoints: no authentication, nothing about any action beyond counts. Health is polled often, so it
 * reads only counters that cost nothing.
 */
public final class Ops {
    private final ActionStore store;
    private final long replayMillis;
    private final String version;
    /** Null on a single host. */
    private final ClusterNode cluster;
    private volatile boolean stopping;

    public Ops(ActionStore store, long replayMillis, String version, ClusterNode cluster) {
        this.store = store;
        this.replayMillis = replayMillis;
        this.version = version;
        this.cluster = cluster;
    }

    /** Once draining starts, health says so, letting a load balancer stop sending before the port closes. */
    public void stopping() {
        stopping = true;
    }

    /** The OpenAPI description, from the jar. */
    public void openapi(RoutingContext ctx) {
        try (var in = Ops.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the jar");
            }
            ctx.response().putHeader("Content-Type", "application/yaml")
                    .end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A cluster node is DEGRADED (200: it still answers reads) while the brokers do not answer, and DOWN (503) once it
     * has stopped applying the topic, since its copy then falls further behind with every write.
     */
    public void health(RoutingContext ctx) {
        String status = stopping ? "DOWN" : cluster == null ? "UP" : cluster.status();
        ctx.response().setStatusCode(status.equals("DOWN") ? 503 : 200).putHeader("Content-Type", "application/json")
                .end(Json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("status", status);
                    g.writeStringField("version", version);
                    g.writeNumberField("actions", store.index().liveCount());
                    g.writeNumberField("journal_entries", store.journalEntries());
                    g.writeNumberField("journal_bytes", store.journalBytes());
                    g.writeNumberField("replay_ms", replayMillis);
                    if (cluster != null) {
                        cluster.health(g);
                    }
                    g.writeEndObject();
                }));
    }
}
