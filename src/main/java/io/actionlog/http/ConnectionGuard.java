package io.actionlog.http;

import io.actionlog.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bounds of {@link Config.Connections} on every HTTP connection. Past {@code max} open connections a new one is
 * closed as it arrives (counted, and logged at most once a minute). A new connection that has not delivered its
 * first request's headers within the header timeout is closed, and so is one that has had no request in progress
 * for the idle timeout (the next request's headers must therefore arrive within it), and one whose request stopped
 * moving bytes, in or out, for that long while it was the client's turn (a body sent in part, a response it does
 * not read). Vert.x and Netty offer only idle timers, which a client sending a byte now and then defeats and which
 * would also cut the live streams; a sweep per event loop checks the deadlines instead, a few times per timeout.
 * Vert.x closes a connection only once what it queued has gone out, which never happens while a client that reads
 * nothing keeps the socket's buffers full (an answer it asked for and left unread): a connection still open an idle
 * timeout after the sweep closed it is cut, its unsent bytes dropped, so that it gives back its place among
 * {@code max} and its buffers.
 *
 * <p>Live streams are exempt: {@link #stream} marks a request as one, and from then its own pings and idle timeout
 * govern it; a WebSocket leaves HTTP for good, and Vert.x then no longer reports its connection's close, so the
 * stream reports it through {@link #upgraded}.
 *
 * <p>Threads. One guard serves every event loop. {@link #install} runs on the event loop of the server it equips,
 * and everything about one of that server's connections (its {@link Tracked} state, its sweep, its close) happens on
 * that event loop. Shared across loops: the count of open connections, the counters, and the map from connection to
 * state, read by the stream routes.
 */
public final class ConnectionGuard {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
    private static final String TRACKED = ConnectionGuard.class.getName() + ".tracked";
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Why a connection was closed by a timeout; the label of its counter. */
    public enum Timeout { HEADER, IDLE, STALLED }

    private final int max;
    private final long headerNanos;
    private final long idleNanos;
    private final long tickMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder[] timedOut = new LongAdder[Timeout.values().length];
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - MINUTE);
    private final Map<HttpConnection, Tracked> byConnection = new ConcurrentHashMap<>();

    public ConnectionGuard(Config.Connections limits) {
        this.max = limits.max();
        this.headerNanos = TimeUnit.SECONDS.toNanos(limits.headerTimeoutSeconds());
        this.idleNanos = TimeUnit.SECONDS.toNanos(limits.idleTimeoutSeconds());
        // A sweep every quarter of the shortest timeout, and at least one a second: a connection outlives its
        // deadline by a quarter of it at most.
        this.tickMillis = Math.min(1000, 250L * Math.min(limits.headerTimeoutSeconds(), limits.idleTimeoutSeconds()));
        for (int i = 0; i < timedOut.length; i++) {
            timedOut[i] = new LongAdder();
        }
    }

    /** Equips a server made on the current event loop; requests then go on to {@code requests}. */
    public HttpServer install(Vertx vertx, HttpServer server, Handler<HttpServerRequest> requests) {
        Set<Tracked> here = new HashSet<>();
        vertx.setPeriodic(tickMillis, id -> sweep(here));
        return server.connectionHandler(conn -> accept(conn, here))
                .exceptionHandler(ConnectionGuard::failed)
                .requestHandler(request -> {
                    Tracked t = byConnection.get(request.connection());
                    if (t != null) {
                        t.started(request);
                    }
                    requests.handle(request);
                });
    }

    /** Route handler of the live streams: the request's connection is governed by the stream from here on. */
    public void stream(RoutingContext ctx) {
        Tracked t = byConnection.get(ctx.request().connection());
        if (t != null) {
            t.stream = true;
            ctx.put(TRACKED, t);
        }
        ctx.next();
    }

    /** A stream's WebSocket is open: its connection is released by {@code onClose}, not by HTTP, from now on. */
    public static void upgraded(RoutingContext ctx, Consumer<Runnable> onClose) {
        Tracked t = ctx.get(TRACKED);
        if (t != null) {
            t.upgraded = true;
            onClose.accept(t::release);
        }
    }

    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.sum();
    }

    public long timedOut(Timeout why) {
        return timedOut[why.ordinal()].sum();
    }

    private void accept(HttpConnection conn, Set<Tracked> here) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            conn.close();
            long now = System.nanoTime();
            long last = lastRefusalLog.get();
            if (now - last >= MINUTE && lastRefusalLog.compareAndSet(last, now)) {
                LOG.warning("refusing new connections: " + max + " are open (http.max_connections); "
                        + refused.sum() + " refused since the start");
            }
            return;
        }
        Tracked t = new Tracked(conn, here, System.nanoTime());
        here.add(t);
        byConnection.put(conn, t);
        conn.closeHandler(v -> t.release());
    }

    private void sweep(Set<Tracked> here) {
        long now = System.nanoTime();
        List<Tracked> expired = new ArrayList<>();
        List<Tracked> stuck = new ArrayList<>();
        for (Tracked t : here) {
            if (t.closing && now - t.since > idleNanos) {
                stuck.add(t);
            }
            Timeout why = t.expired(now);
            if (why != null) {
                timedOut[why.ordinal()].increment();
                expired.add(t);
            }
        }
        for (Tracked t : expired) {
            t.closing = true;
            t.since = now;
            t.conn.close();
        }
        for (Tracked t : stuck) {
            // From the pipeline's first handler, straight to the socket: Vert.x's own handlers would hold the close
            // behind the writes that cannot go out. The close handler then releases the connection.
            if (t.conn instanceof ConnectionBase base && base.channel().isActive()) {
                base.channel().pipeline().firstContext().close();
            }
        }
    }

    /** A failure on a connection outside any request (a reset between requests, say). */
    private static void failed(Throwable t) {
        if (ClientFaults.causedBy(t)) {
            LOG.fine(() -> "client fault on a connection: " + ClientFaults.describe("-", "-", t));
        } else {
            LOG.log(Level.WARNING, "HTTP connection failed", t);
        }
    }

    /** One connection's state. Its event loop only. */
    private final class Tracked {
        final HttpConnection conn;
        final Set<Tracked> loop;
        HttpServerRequest current;
        boolean served;
        boolean stream;
        boolean upgraded;
        boolean closing;
        boolean released;
        /**
         * Since when the present state holds: connected, idle, the last time the current request moved bytes, or
         * closing.
         */
        long since;
        HttpServerRequest observed;
        long moved;

        Tracked(HttpConnection conn, Set<Tracked> loop, long now) {
            this.conn = conn;
            this.loop = loop;
            this.since = now;
        }

        void started(HttpServerRequest request) {
            current = request;
            served = true;
            stream = false;
        }

        /** Why the connection must be closed now, or null. */
        Timeout expired(long now) {
            if (upgraded || closing) {
                return null;
            }
            if (current != null && current.response().ended()) {
                current = null;
                stream = false;
                since = now;
            }
            if (current == null) {
                return now - since <= (served ? idleNanos : headerNanos) ? null : served ? Timeout.IDLE : Timeout.HEADER;
            }
            if (stream) {
                return null;
            }
            long bytes = current.bytesRead() + current.response().bytesWritten();
            boolean clientsTurn = !current.isEnded() || current.response().headWritten();
            if (current != observed || bytes != moved || !clientsTurn) {
                observed = current;
                moved = bytes;
                since = now;
                return null;
            }
            return now - since > idleNanos ? Timeout.STALLED : null;
        }

        void release() {
            if (!released) {
                released = true;
                open.decrementAndGet();
                loop.remove(this);
                byConnection.remove(conn);
            }
        }
    }
}
