package io.actionlog.http;

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
    private volatile boolean stopping;

    public Ops(ActionStore store, long replayMillis, String version) {
        this.store = store;
        this.replayMillis = replayMillis;
        this.version = version;
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

    public void health(RoutingContext ctx) {
        String status = stopping ? "DOWN" : "UP";
        ctx.response().setStatusCode(stopping ? 503 : 200).putHeader("Content-Type", "application/json")
                .end(Json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("status", status);
                    g.writeStringField("version", version);
                    g.writeNumberField("actions", store.index().liveCount());
                    g.writeNumberField("journal_entries", store.journalEntries());
                    g.writeNumberField("journal_bytes", store.journalBytes());
                    g.writeNumberField("replay_ms", replayMillis);
                    g.writeEndObject();
                }));
    }
}
