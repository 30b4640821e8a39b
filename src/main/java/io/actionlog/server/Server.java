package io.actionlog.server;

import io.actionlog.auth.CredentialStore;
import io.actionlog.config.Config;
import io.actionlog.http.Ops;
import io.actionlog.http.OutOfMemory;
import io.actionlog.integrity.Integrity;
import io.actionlog.journal.Journal;
import io.actionlog.store.Writer;
import io.actionlog.stream.Streams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running server. Start, in named phases ({@link ServerStart}): open the data (claim the directory, the
 * credentials, the journal), listen (the port answers 503 STARTING meanwhile), replay the journal into the index,
 * then serve (bring the Merkle tree up to the journal, start the writer, record the credential changes made since the last run, build the routes and open the
 * gate to them). Stop, in reverse: close the live streams, stop listening, drain the writer (every accepted write is
 * finished and acknowledged), sign the final checkpoint, close the journal, release the directory.
 */
public final class Server implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());
    /** How long a stop waits for the streams, then for the connections, before it cuts what is left. */
    static final Duration STOP_GRACE = Duration.ofMillis(500);
    /** How long a stop waits for the writer to finish the writes it accepted. */
    static final Duration WRITER_WAIT = Duration.ofSeconds(30);

    private final DataDir dataDir;
    private final Journal journal;
    private final Writer writer;
    private final Vertx vertx;
    private final List<HttpServer> http;
    private final Ops ops;
    private final Streams streams;
    private final long credentialTimer;
    final io.vertx.ext.web.Router router;
    private final CredentialStore credentials;
    private final Integrity integrity;
    /** Null on a single host. */
    private final io.actionlog.cluster.ClusterNode cluster;

    Server(DataDir dataDir, Journal journal, Writer writer, Vertx vertx, List<HttpServer> http, Ops ops,
                   Streams streams, long credentialTimer, io.vertx.ext.web.Router router,
                   CredentialStore credentials, Integrity integrity, io.actionlog.cluster.ClusterNode cluster) {
        this.dataDir = dataDir;
        this.journal = journal;
        this.writer = writer;
        this.vertx = vertx;
        this.http = http;
        this.ops = ops;
        this.streams = streams;
        this.credentialTimer = credentialTimer;
        this.router = router;
        this.credentials = credentials;
        this.integrity = integrity;
        this.cluster = cluster;
    }

    /** Starts a server that exits the process after an OutOfMemoryError (see {@link OutOfMemory}). */
    public static Server start(Config config) throws Exception {
        return start(config, OutOfMemory.exiting());
    }

    public static Server start(Config config, OutOfMemory outOfMemory) throws Exception {
        return start(config, outOfMemory, System::nanoTime);
    }

    /** {@code throttleClock}: nanoseconds for the authentication throttle; tests pass one they advance by hand. */
    static Server start(Config config, OutOfMemory outOfMemory, LongSupplier throttleClock) throws Exception {
        return ServerStart.start(config, outOfMemory, throttleClock, null);
    }

    /**
     * As {@link #start(Config, OutOfMemory, LongSupplier)}, with the journal's day files rolled by
     * {@code journalClock} (epoch milliseconds): tests make the files of several days in a few seconds.
     */
    static Server start(Config config, OutOfMemory outOfMemory, LongSupplier throttleClock, LongSupplier journalClock)
            throws Exception {
        return ServerStart.start(config, outOfMemory, throttleClock, journalClock);
    }

    /**
     * The HTTP options of the server, and of the benchmark's ceiling, which must match them. HTTP/2 over cleartext
     * is off: every client of the contract speaks HTTP/1.1, and one HTTP/2 connection multiplexing many requests
     * would slip past the per-connection timeouts and the connection cap. Bodies arrive in pieces of up to 64 KiB
     * rather than the default 8 KiB: a bulk request of hundreds of megabytes then costs a quarter of the per-piece
     * work (a buffer, a copy, a handler call) on its event loop.
     */
    public static HttpServerOptions httpOptions(Config config) {
        return TlsCertificates.apply(new HttpServerOptions().setCompressionSupported(true)
                .setHttp2ClearTextEnabled(false)
                .setMaxChunkSize(64 * 1024)
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setMaxInitialLineLength(config.maxInitialLineBytes()), config.tls());
    }

    /** "METHOD /path" of every endpoint the router serves (paths with {param} as OpenAPI writes them). */
    public List<String> endpoints() {
        List<String> out = new java.util.ArrayList<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            if (r.methods() != null && r.getPath() != null) {
                String path = r.getPath().replaceAll(":(\\w+)", "{$1}");
                r.methods().forEach(m -> out.add(m.name() + " " + path));
            }
        }
        return out;
    }

    /**
     * The periodic credential reload, now, on the calling thread: when it returns, changes written to the
     * credentials file before the call are in force. For tests, which would otherwise wait for the next period.
     */
    boolean reloadCredentials() throws IOException {
        return credentials.reloadIfChanged();
    }

    public int port() {
        return http.get(0).actualPort();
    }

    /**
     * Stops within about a second whatever the peers do: each stream gets its SERVER_STOPPING frame, then each HTTP
     * server stops accepting, lets requests in flight finish and closes idle connections. A connection still open
     * after {@link #STOP_GRACE} (a peer that never answers a WebSocket close, an upload still arriving) is cut by
     * {@code vertx.close()}, after the writer has finished every write it accepted, so none is lost.
     */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        LOG.info("stopping: " + streams.openCount() + " open streams, " + writer.waiting() + " queued writes");
        ops.stopping();
        vertx.cancelTimer(credentialTimer);
        await(streams.close(), "the live streams to close", STOP_GRACE);
        // Counted until Vert.x has stopped, not only while the HTTP servers stop: a wait for them that gives up
        // leaves their acceptors to Vert.x's own close, where a connection arriving meets an event loop gone.
        AcceptedWhileStopping arriving = AcceptedWhileStopping.install();
        try {
            stopAfterStreams();
        } finally {
            int refused = arriving.remove();
            if (refused > 0) {
                LOG.info(refused + " connections that arrived while the HTTP servers stopped were closed unanswered");
            }
        }
        LOG.info("actionlog stopped after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    /** The HTTP servers, the cluster node, the writer and the storage behind it, then Vert.x. */
    private void stopAfterStreams() {
        await(Future.all(http.stream().map(h -> h.shutdown(STOP_GRACE)).toList()), "the HTTP connections to close",
                STOP_GRACE.plusMillis(100));
        if (cluster != null) {
            // Before the writer: the follower's last batch still needs it.
            cluster.close();
        }
        boolean drained = writer.close(WRITER_WAIT, () -> {
            closeStorage();
            releaseDirectory();
        });
        if (drained) {
            closeStorage();
        } else {
            LOG.severe("the writer is still busy after " + WRITER_WAIT.toSeconds() + " s (" + writer.waiting()
                    + " queued writes): the tree, the journal and the data directory are closed after its last write;"
                    + " a process that exits before then leaves the journal's tail to the next start's recovery");
        }
        await(vertx.close(), "Vert.x to stop", Duration.ofSeconds(30));
        if (drained) {
            releaseDirectory();
        }
    }

    /**
     * Signs the final checkpoint and closes the tree and the journal: after the writer's last write, on whichever
     * thread ends last (see {@link Writer#close(Duration, Runnable)}).
     */
    private void closeStorage() {
        integrity.close();
        journal.close();
    }

    private void releaseDirectory() {
        try {
            dataDir.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "data directory lock not released", e);
        }
    }

    static void await(Future<?> f, String what, Duration bound) {
        try {
            f.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("stopping: gave up waiting for " + what + " after " + bound.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "stopping: failed waiting for " + what, e.getCause());
        }
    }
}
