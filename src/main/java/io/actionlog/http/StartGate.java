package io.actionlog.http;

import io.actionlog.http.waldur.WaldurApi;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.LongSupplier;

/**
 * What the port answers from the moment it opens until the router is ready, that is while the journal replays:
 * {@code /health} is 503 with {@code "status":"STARTING"} and the replay's progress, so a supervisor or a load
 * balancer can tell a server that is coming up from one that is down; every other path is 503 with
 * {@code Retry-After}, in the JSON shape of its face. {@link #open} hands every later request to the router.
 *
 * <p>Threads: requests arrive on the event loops; {@link #open} is called once by the starting thread. The volatile
 * field is the only state they share.
 */
public final class StartGate implements Handler<HttpServerRequest> {
    /** Seconds a client is told to wait: a replay of a few million actions takes a few seconds. */
    static final int RETRY_AFTER_SECONDS = 2;

    private final String version;
    private final LongSupplier replayed;
    private final long entries;
    private volatile Handler<HttpServerRequest> router;

    /** {@code replayed}: journal entries replayed so far, of {@code entries}. */
    public StartGate(String version, LongSupplier replayed, long entries) {
        this.version = version;
        this.replayed = replayed;
        this.entries = entries;
    }

    public void open(Handler<HttpServerRequest> router) {
        this.router = router;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Handler<HttpServerRequest> ready = router;
        if (ready != null) {
            ready.handle(request);
            return;
        }
        request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                .putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                .end(request.path().equals("/health") ? starting() : refusal(request.path()));
    }

    private Buffer starting() {
        long done = Math.min(replayed.getAsLong(), entries);
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("status", "STARTING");
            g.writeStringField("version", version);
            g.writeObjectFieldStart("replay");
            g.writeNumberField("entries", done);
            g.writeNumberField("of", entries);
            g.writeNumberField("percent", entries == 0 ? 100 : (int) (done * 100 / entries));
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static Buffer refusal(String path) {
        String member = path.startsWith(WaldurApi.PREFIX) ? "detail" : "error";
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField(member, "starting: the journal is being replayed; try again shortly");
            g.writeEndObject();
        });
    }
}
