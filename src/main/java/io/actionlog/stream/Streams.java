package io.actionlog.stream;

import io.actionlog.auth.AuthException;
import io.actionlog.auth.Caller;
import io.actionlog.auth.Credential;
import io.actionlog.auth.CredentialStore;
import io.actionlog.config.Config;
import io.actionlog.http.AuthThrottle;
import io.actionlog.http.ConnectionGuard;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.actionlog.http.SendBudget;
import io.actionlog.http.Json;
import io.actionlog.index.Row;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Writer;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live streams of spec §5: the handlers the route table points at, the feed the writer publishes to, and
 * every open stream, so that a stop can close them. Credentials come from the {@code Authorization} header (any
 * form of §4) or, for clients that cannot set headers, from {@code ?user=<name>&token=<key>}; the header wins
 * when both are given. Both pass the same failed-authentication throttle as the REST routes, so a query token is
 * no faster to guess than a header; a blocked address gets the plain HTTP 429 before any upgrade. Otherwise a
 * WebSocket is always upgraded first, so that a refusal can be the error frame the contract asks for. A stream
 * lives only as long as its credential: when the credentials change and it is no longer in force as it was (removed,
 * rotated, its role changed), the stream gets UNAUTHORIZED and is closed.
 *
 * <p>Stopping. Once {@link #close} has begun, no stream goes on: an SSE request is a plain 503 with
 * {@code Retry-After}, and a WebSocket, upgraded first as for any refusal, gets the SERVER_STOPPING frame every open
 * stream got. A request that passed that check as the stop began is caught where its stream is registered: the stop
 * marks itself before it lists the open streams, and a stream checks the mark after it joins them, so each stream
 * is ended by one or the other.
 */
public final class Streams {
    private static final Logger LOG = Logger.getLogger(Streams.class.getName());
    static final int DEFAULT_TAIL = 300;
    /** Most lines a logs stream sends before going live; a larger {@code tail} is capped to it. */
    static final int MAX_TAIL = 10_000;

    private final Vertx vertx;
    private final ActionStore store;
    private final CredentialStore credentials;
    private final AuthThrottle throttle;
    private final Config.Streams limits;
    private final StreamSends sends;
    private final ChangeFeed feed;
    private final ActionHeads heads;
    private final Set<Sink> open = ConcurrentHashMap.newKeySet();
    /** The credential each authenticated open stream presented, checked again whenever the credentials change. */
    private final Map<Sink, Credential> held = new ConcurrentHashMap<>();
    /** Set once, by {@link #close}, before it lists the open streams. */
    private volatile boolean stopping;

    /** Call after the replay and before the writer starts, so the feed's horizon is the journal's end. */
    public Streams(Vertx vertx, ActionStore store, CredentialStore credentials, AuthThrottle throttle,
            Config.Streams limits, SendBudget budget) {
        this.vertx = vertx;
        this.sends = new StreamSends(budget);
        this.store = store;
        this.credentials = credentials;
        this.throttle = throttle;
        this.limits = limits;
        this.feed = new ChangeFeed(store.journalSize());
        this.heads = new ActionHeads(store);
        credentials.onChange(this::recheck);
    }

    /** What the writer must publish to. */
    public Writer.Listener listener() {
        return feed;
    }

    /** {@code /v1/action/:uuid/logs/?tail=N&follow=true|false} as a WebSocket. */
    public void logs(RoutingContext ctx) {
        Credential credential = credentialOrNull(ctx.request());
        long since = feed.horizon(); // the stream follows from here, not from its start after the upgrade
        upgrade(ctx, credential, sink -> {
            Caller caller = credential.caller();
            Integer tail = StreamParams.tail(QueryParams.last(ctx.queryParams(), "tail"), DEFAULT_TAIL, MAX_TAIL);
            Boolean follow = StreamParams.flag(QueryParams.last(ctx.queryParams(), "follow"), true);
            Row row = visible(ctx.pathParam("uuid"), caller);
            if (tail == null || follow == null) {
                sink.refuse(Frames.BAD_REQUEST, tail == null ? "tail: a whole number of lines, 0 or more"
                        : "follow: true or false");
            } else if (row == null) {
                sink.refuse(Frames.NOT_FOUND);
            } else {
                new LogSession(sink, store, feed, row.id()).start(since, tail, follow, limits);
            }
        });
    }

    /**
     * {@code /v1/events/?type=&object=&parent=} as a WebSocket, live from the moment the request arrived: the events
     * published while the upgrade was answered are replayed from the journal, as a resumed stream's are.
     */
    public void events(RoutingContext ctx) {
        Credential credential = credentialOrNull(ctx.request());
        long since = feed.horizon();
        upgrade(ctx, credential, sink -> {
            EventFilter filter;
            try {
                filter = EventFilter.of(credential.caller(), ctx.queryParams());
            } catch (HttpError e) {
                sink.refuse(Frames.BAD_REQUEST, e.getMessage());
                return;
            }
            new EventSession(sink, store, feed, heads, filter).start(since, limits);
        });
    }

    /**
     * {@code GET /api/v1/events/} as Server-Sent Events. The stream has not started when credentials or
     * {@code Last-Event-ID} are wrong, so those are plain HTTP errors (401, 400) in the Tutum shape, and so is a
     * request that arrives once the server is stopping (503).
     */
    public void sse(RoutingContext ctx) {
        if (stopping) {
            throw new HttpError(503, "the server is stopping; try again shortly");
        }
        Credential credential;
        try {
            credential = authenticate(ctx.request());
        } catch (AuthException e) {
            throw new HttpError(401, e.getMessage());
        }
        String lastId = ctx.request().getHeader("Last-Event-ID");
        if (lastId == null) {
            lastId = QueryParams.last(ctx.queryParams(), "last_event_id");
        }
        long from = StreamParams.resumeFrom(lastId, feed.horizon());
        EventFilter filter = EventFilter.of(credential.caller(), ctx.queryParams());
        Sink sink = track(new SseSink(ctx.response(), ctx.request().connection(), channel(ctx),
                vertx.getOrCreateContext(), limits.idleTimeoutSeconds(), sends, credential.name()));
        if (!sink.closed() && hold(sink, credential)) {
            new EventSession(sink, store, feed, heads, filter).start(from, limits);
        }
    }

    /** Bytes of frames written to the streams' connections and not yet taken by them, for /metrics. */
    public long unsentBytes() {
        return sends.unsent();
    }

    /** Open WebSocket streams (logs and events), for /metrics. */
    public long openWebSockets() {
        return open.stream().filter(s -> s instanceof WebSocketSink).count();
    }

    /** Open Server-Sent Events streams, for /metrics. */
    public long openEventSources() {
        return open.stream().filter(s -> s instanceof SseSink).count();
    }

    public int openCount() {
        return open.size();
    }

    /**
     * Closes every open stream with a SERVER_STOPPING frame; completes once each close has been sent. Streams that
     * register from now on are refused as they do (see the class doc).
     */
    public Future<Void> close() {
        stopping = true;
        List<Future<Void>> closing = new ArrayList<>();
        for (Sink sink : List.copyOf(open)) {
            Promise<Void> done = Promise.promise();
            sink.context().runOnContext(v -> {
                sink.refuse(Frames.SERVER_STOPPING);
                done.complete();
            });
            closing.add(done.future());
        }
        return Future.all(closing).mapEmpty();
    }

    /**
     * Closes, with UNAUTHORIZED, every stream whose credential is no longer in force as it was when the stream
     * opened (removed, rotated, its role changed). Runs on the thread that changed the credentials.
     */
    private void recheck() {
        held.forEach((sink, credential) -> {
            if (!credentials.holds(credential)) {
                sink.context().runOnContext(v -> sink.refuse(Frames.UNAUTHORIZED));
            }
        });
    }

    /**
     * Registers a stream's credential for {@link #recheck}, then checks it once itself: a change published between
     * the authentication and the registration is seen by one or the other. False (and the sink refused) when the
     * credential no longer holds.
     */
    private boolean hold(Sink sink, Credential credential) {
        held.put(sink, credential);
        sink.onClose(() -> held.remove(sink));
        if (!credentials.holds(credential)) {
            sink.refuse(Frames.UNAUTHORIZED);
            return false;
        }
        return true;
    }

    /** Upgrades, then refuses with UNAUTHORIZED when there is no credential, or starts the stream. */
    private void upgrade(RoutingContext ctx, Credential credential, Consumer<Sink> then) {
        ctx.request().toWebSocket().onComplete(ar -> {
            if (ar.failed()) {
                if (!ctx.response().ended()) {
                    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                            .end(Json.error("error", "this path is a WebSocket stream: send an upgrade request"));
                }
                return;
            }
            Sink sink = new WebSocketSink(ar.result(), channel(ctx), vertx.getOrCreateContext(),
                    limits.idleTimeoutSeconds(), sends, credential == null ? "" : credential.name());
            ConnectionGuard.upgraded(ctx, sink::onClose);
            if (track(sink).closed()) {
                return; // the server is stopping
            }
            if (credential == null) {
                sink.refuse(Frames.UNAUTHORIZED);
                return;
            }
            if (!hold(sink, credential)) {
                return;
            }
            try {
                then.accept(sink);
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "stream " + ctx.request().path() + " failed to start", t);
                sink.refuse(Frames.INTERNAL_ERROR);
                rethrowError(t);
            }
        });
    }

    /** The request's connection's channel, which neither Vert.x's socket nor Vert.x Web's wrapper of it hands out. */
    private static Channel channel(RoutingContext ctx) {
        return ((ConnectionBase) ctx.request().connection()).channel();
    }

    /**
     * After a stream was refused for an Error, the Error goes on to the event loop's exception handler, where the
     * process's out-of-memory policy sees it.
     */
    static void rethrowError(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
    }

    /**
     * Registers an open stream for {@link #close} and gives it its keep-alive timer, on its own context; once the
     * server is stopping, refuses it with SERVER_STOPPING instead (closed when this returns).
     */
    private Sink track(Sink sink) {
        open.add(sink);
        long idleNanos = TimeUnit.SECONDS.toNanos(limits.idleTimeoutSeconds());
        long timer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(limits.pingSeconds()), id -> sink.keepAlive(idleNanos));
        sink.onClose(() -> {
            vertx.cancelTimer(timer);
            open.remove(sink);
        });
        // After joining the open streams: close() sets the flag before it lists them, so it sees this one or this
        // sees the flag (both sides volatile).
        if (stopping) {
            sink.refuse(Frames.SERVER_STOPPING);
        }
        return sink;
    }

    private Credential credentialOrNull(HttpServerRequest request) {
        try {
            return authenticate(request);
        } catch (AuthException e) {
            return null;
        }
    }

    /** Throws {@link HttpError} 429 while the address is blocked, {@link AuthException} for bad credentials. */
    private Credential authenticate(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        String user = QueryParams.last(request.params(), "user");
        String token = QueryParams.last(request.params(), "token");
        if (header == null && (token != null || user != null)) {
            return throttle.admit(request, () -> credentials.credential(user, token));
        }
        return throttle.admit(request, () -> credentials.credential(header));
    }

    /** The action named by the path if this caller may see it; null for unknown, foreign or malformed alike. */
    private Row visible(String uuidText, Caller caller) {
        UUID uuid;
        try {
            uuid = UUID.fromString(uuidText);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ActionStore.Found found = store.find(uuid);
        if (found == null || !(caller.role().readsAll() || found.created().data().user().equals(caller.name()))) {
            return null;
        }
        return found.row();
    }
}
