package io.actionlog.http;

import io.actionlog.index.IndexStats;
import io.actionlog.store.ActionStore;
import io.vertx.ext.web.RoutingContext;

/** Operational endpoints: no authentication, nothing about any action beyond counts. */
public final class Ops {
    private final ActionStore store;
    private final long replayMillis;
    private volatile boolean stopping;

    public Ops(ActionStore store, long replayMillis) {
        this.store = store;
        this.replayMillis = replayMillis;
    }

    /** Once draining starts, health says so, letting a load balancer stop sending before the port closes. */
    public void stopping() {
        stopping = true;
    }

    public void health(RoutingContext ctx) {
        IndexStats stats = store.index().stats();
        String status = stopping ? "DOWN" : "UP";
        ctx.response().setStatusCode(stopping ? 503 : 200).putHeader("Content-Type", "application/json")
                .end(Json.write(g -> {
                    g.writeStartObject();
                    g.writeStringField("status", status);
                    g.writeNumberField("actions", stats.actions());
                    g.writeNumberField("journal_entries", store.journalEntries());
                    g.writeNumberField("journal_bytes", store.journalBytes());
                    g.writeNumberField("replay_ms", replayMillis);
                    g.writeEndObject();
                }));
    }
}
