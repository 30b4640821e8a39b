package io.actionlog.server;

import io.actionlog.auth.AuthException;
import io.actionlog.auth.CredentialChange;
import io.actionlog.cluster.ClusterException;
import io.actionlog.cluster.ClusterNode;
import io.actionlog.auth.CredentialStore;
import io.actionlog.action.Redaction;
import io.actionlog.config.Config;
import io.actionlog.config.ConfigException;
import io.actionlog.geo.Locations;
import io.actionlog.http.AccessLog;
import io.actionlog.http.AdminApi;
import io.actionlog.http.AdminAudit;
import io.actionlog.http.AuthHandler;
import io.actionlog.http.AuthThrottle;
import io.actionlog.http.ClientAddress;
import io.actionlog.http.ClusterHeaders;
import io.actionlog.http.ConnectionGuard;
import io.actionlog.http.InvalidRequests;
import io.actionlog.http.Metrics;
import io.actionlog.http.Ops;
import io.actionlog.http.OutOfMemory;
import io.actionlog.http.PublicOrigin;
import io.actionlog.http.Routes;
import io.actionlog.http.SendBudget;
import io.actionlog.http.StartGate;
import io.actionlog.http.tutum.BulkIngest;
import io.actionlog.http.tutum.IntegrityApi;
import io.actionlog.http.tutum.TutumApi;
import io.actionlog.integrity.Integrity;
import io.actionlog.http.waldur.WaldurApi;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.IdOutOfTurnException;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionChanges;
import io.actionlog.store.ActionReader;
import io.actionlog.store.ActionStore;
import io.actionlog.store.CommandPath;
import io.actionlog.store.Retention;
import io.actionlog.store.Writer;
import io.actionlog.stream.Streams;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The start of a {@link Server}, in the order of its phases: open the data (claim the directory, check its format,
 * the credentials, the journal), listen (the port answers 503 STARTING through the gate meanwhile), replay the
 * journal into the index, then serve (writer, streams, credential changes made while no server ran, routes) and open
 * the gate. A failure gives back everything the start had opened ({@link Rollback}) and is then rethrown as it was,
 * so that the same JVM can start again on the same data directory. Runs on the calling thread.
 */
final class ServerStart {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());
    /** How often a long replay logs how far it has got. */
    static final Duration PROGRESS_LOG = Duration.ofSeconds(5);

    private ServerStart() {
    }

    /**
     * {@code throttleClock}: nanoseconds for the authentication throttle; tests pass one they advance by hand.
     * {@code journalClock}: epoch milliseconds that roll the journal's day files, null for the real clock.
     */
    static Server start(Config config, OutOfMemory outOfMemory, LongSupplier throttleClock, LongSupplier journalClock)
            throws Exception {
        LOG.info("actionlog " + Version.current() + " starting: " + config.summary());
        if (config.cluster().kafka()) {
            requireKafkaClient();
        }
        Locations locations = locations(config);
        Data data = openData(config, journalClock);
        Rollback rollback = new Rollback();
        rollback.openedForWriter("the data directory", data.dir()::close);
        rollback.openedForWriter("the journal", data.journal()::close);
        try {
            Metrics metrics = new Metrics();
            Vertx vertx = vertx(config, metrics, outOfMemory);
            // With Vert.x end the port, the TLS watch, its JVM metrics and the timers (replay progress, retention,
            // credential reloads).
            rollback.opened("Vert.x", () -> Server.await(vertx.close(), "Vert.x to stop", Duration.ofSeconds(30)));
            ReplayProgress progress = new ReplayProgress(data.journal().size());
            StartGate gate = new StartGate(Version.current(), progress::done, progress.entries());
            ConnectionGuard connections = new ConnectionGuard(config.connections());
            List<HttpServer> http = listen(config, vertx, connections, gate);
            long replayMillis = replay(data.journal(), data.index(), progress, vertx);
            Server server = serve(config, data, vertx, http, metrics, connections, replayMillis, outOfMemory,
                    throttleClock, locations, rollback);
            gate.open(server.router);
            // Scripts and the test harness wait for this line: from it on, every route answers.
            LOG.info("actionlog " + Version.current() + " listening on " + config.httpHost() + ":" + server.port()
                    + " (data " + config.dataDir() + ", durability " + config.durability() + ", " + http.size()
                    + " event loops)");
            return server;
        } catch (Exception | Error e) {
            rollback.undo(e);
            throw e;
        }
    }

    /** The geo ranges, read before anything is opened: a file that does not parse is a setting to mend (exit 2). */
    private static Locations locations(Config config) {
        if (config.geoRangesFile() == null) {
            return Locations.none();
        }
        try {
            return Locations.load(config.geoRangesFile());
        } catch (IOException e) {
            throw ConfigException.bad("geo.ranges_file", config.geoRangesFile(), e.getMessage());
        }
    }

    /**
     * {@code auth.admin_key} presets the key of a fresh data directory only; a later change of the setting would
     * otherwise be ignored without a word while the operator tries a key that gets 401.
     */
    private static void presetKeyStillWorks(CredentialStore credentials, Config config) {
        try {
            credentials.authenticate(CredentialStore.ADMIN, config.adminKey());
        } catch (AuthException e) {
            LOG.warning("auth.admin_key is set, but the admin credential of " + config.dataDir() + " does not take it"
                    + " (rotated or removed since): the setting only presets the key of a fresh data directory; use"
                    + " `credential rotate admin` to change a key");
        }
    }

    /** What start opens before the port: the data directory, the credentials and the journal. */
    private record Data(DataDir dir, CredentialStore credentials, Journal journal, ActionIndex index,
                        ClusterNode.Prepared cluster) {
    }

    private static Data openData(Config config, LongSupplier journalClock) throws IOException {
        DataDir dataDir = DataDir.claim(config.dataDir());
        try {
            DataFormat.claim(config.dataDir());
            CredentialStore credentials = CredentialStore.open(config.dataDir(), config.adminKey(),
                    CredentialChange.SERVER);
            credentials.bootstrapNote().ifPresent(LOG::info);
            if (config.adminKey() != null && credentials.bootstrapNote().isEmpty()) {
                presetKeyStillWorks(credentials, config);
            }
            Journal journal = openJournal(config, journalClock);
            ClusterNode.Prepared cluster = null;
            if (config.cluster().kafka()) {
                cluster = prepareCluster(config, journal);
                if (cluster.rebuild()) {
                    journal.close();
                    ClusterNode.discardLocalCopy(config);
                    journal = openJournal(config, journalClock);
                }
            }
            return new Data(dataDir, credentials, journal, new ActionIndex(), cluster);
        } catch (IOException | RuntimeException e) {
            dataDir.close();
            throw e;
        }
    }

    private static Journal openJournal(Config config, LongSupplier journalClock) {
        return ChronicleJournal.open(config.journalDir(),
                Durability.valueOf(config.durability().toUpperCase(Locale.ROOT)), journalClock);
    }

    /**
     * Cluster mode needs the Kafka client, which only the cluster jar carries; the appliance jar says so before it
     * creates anything, rather than failing on a missing class later.
     */
    private static void requireKafkaClient() {
        try {
            Class.forName("org.apache.kafka.clients.producer.KafkaProducer", false, ServerStart.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ClusterException("journal.kind=kafka needs actionlog-cluster.jar: this jar does not carry the "
                    + "Kafka client");
        }
    }

    private static ClusterNode.Prepared prepareCluster(Config config, Journal journal) throws IOException {
        try {
            return ClusterNode.prepare(config, journal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while checking the topic");
        } catch (RuntimeException | IOException e) {
            journal.close();
            throw e;
        }
    }

    private static Vertx vertx(Config config, Metrics metrics, OutOfMemory outOfMemory) {
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metrics.vertxOptions(config.metricsVertxHttp())))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
        // What no handler caught (a callback of a stream, a timer) still meets the out-of-memory policy.
        vertx.exceptionHandler(t -> {
            outOfMemory.check("running an event-loop task", t);
            LOG.log(Level.SEVERE, "unhandled failure on an event loop", t);
        });
        return vertx;
    }

    /**
     * Opens the port before the replay, with the gate answering 503 until the routes are ready: a supervisor sees
     * a server that is starting rather than a refused connection, for as long as a large journal takes to replay.
     */
    private static List<HttpServer> listen(Config config, Vertx vertx, ConnectionGuard connections,
                                           StartGate gate) throws Exception {
        HttpServerOptions options = Server.httpOptions(config);
        FileLimit.check(config.connections().max());
        InvalidRequests invalid = new InvalidRequests(config.maxInitialLineBytes(), config.maxHeaderBytes());
        List<HttpServer> http = HttpListeners.listen(vertx, config.httpEventLoops(), config.httpHost(),
                config.httpPort(), () -> connections.install(vertx,
                        vertx.createHttpServer(options).invalidRequestHandler(invalid), gate));
        // Ends with Vert.x at the stop.
        TlsCertificates.watch(vertx, config.tls(), http);
        LOG.info("port " + config.httpHost() + ":" + http.get(0).actualPort() + " open ("
                + (config.tls().enabled() ? "HTTPS" : "HTTP") + "); /health says STARTING until the journal is replayed");
        return http;
    }

    /** After the replay: the writer, the streams, the credential changes made meanwhile, and the routes. */
    private static Server serve(Config config, Data data, Vertx vertx, List<HttpServer> http, Metrics metrics,
                                ConnectionGuard connections, long replayMillis, OutOfMemory outOfMemory,
                                LongSupplier throttleClock, Locations locations, Rollback rollback)
            throws IOException {
        Integrity integrity = Integrity.open(config, data.journal(), data.index());
        rollback.openedForWriter("the Merkle tree and the checkpoint log", integrity::close);
        Writer writer = new Writer(data.journal(), data.index(), config.writerQueueCapacity(), config.writerBatchMax());
        rollback.opened(writer);
        writer.onBatchFailure(t -> outOfMemory.check("writing a batch to the journal", t));
        // First of the listeners: the tree has an entry's leaf before anyone is told of the entry.
        writer.prepare(integrity.keeper());
        writer.listen(integrity.keeper());
        ActionChanges changes = new ActionChanges(data.journal(), data.index(), new ActionReader(data.journal()));
        // A cluster node's follower may submit before the writer thread starts: its batch waits in the queue.
        ClusterNode cluster = data.cluster() == null ? null
                : ClusterNode.start(config, data.cluster(), writer, changes, data.journal());
        if (cluster != null) {
            // Before the writer stops: the follower's last batch still needs it.
            rollback.opened("the cluster node", cluster::close);
        }
        ActionStore store = new ActionStore(data.journal(), data.index(), writer, changes,
                cluster == null ? CommandPath.local(writer, changes) : cluster.commands(), config.retryMaxPerAction());
        if (cluster == null) {
            // Commands stay on this host: a bulk request's worker writes its actions' leaves, all but the id.
            store.workAhead(integrity.keeper()::ahead);
        }
        Ops ops = new Ops(store, replayMillis, Version.current(), cluster);
        ServerMetrics.store(metrics.registry(), store, replayMillis);
        ServerMetrics.disk(metrics.registry(), config.dataDir());
        ServerMetrics.integrity(metrics.registry(), integrity);
        if (cluster != null) {
            ServerMetrics.cluster(metrics.registry(), cluster);
        }
        ClientAddress clients = new ClientAddress(config.trustedProxies());
        AuthThrottle throttle = new AuthThrottle(config.authMaxFailures(), config.authFailureWindowSeconds(),
                config.authBlockSeconds(), config.authTrackedAddresses(), throttleClock, clients,
                config.authThrottleExempt());
        // The feed starts at the journal's end: it must listen before the writer appends anything.
        SendBudget sends = new SendBudget(config.connections().maxUnsentBytes());
        Streams streams = new Streams(vertx, store, data.credentials(), throttle, config.streams(), sends);
        writer.listen(streams.listener());
        writer.start();
        if (cluster != null) {
            catchUp(cluster);
        }
        // Before retention's first run, which takes the writer and the index for as long as it expires actions.
        endUnfinished(store, cluster == null ? null : config.cluster().node());
        Retention retention = retention(config, data, writer, vertx);
        CredentialAudit audit = new CredentialAudit(store, config.journalsCredentialChanges(),
                cluster == null ? null : config.cluster().node());
        CredentialSync credentialSync = new CredentialSync(() -> data.credentials().sync(audit), System::nanoTime);
        // Changes made while no server ran (the bootstrap admin too) are in the journal before anyone can read it.
        credentialSync.run();
        // The journal's data is walked once here, on the start's thread, after the start's own writes (the changes
        // just recorded), so that the first /health counts them; later measures walk only what is new.
        store.measureJournal();
        ServerMetrics.connections(metrics.registry(), connections, sends);
        ServerMetrics.streams(metrics.registry(), streams);
        ServerMetrics.auth(metrics.registry(), throttle);
        var router = Routes.build(vertx, config.maxBodyBytes(), new AuthHandler(data.credentials(), throttle),
                handlers(config, data, store, ops, metrics, streams, connections, sends, clients, integrity,
                        retention, cluster, locations), outOfMemory);
        long timer = vertx.setPeriodic(1000, id -> credentialSync.tick(vertx));
        return new Server(data.dir(), data.journal(), writer, vertx, http, ops, streams, timer, router,
                data.credentials(), integrity, cluster);
    }

    private static Routes.Handlers handlers(Config config, Data data, ActionStore store, Ops ops, Metrics metrics,
                                            Streams streams, ConnectionGuard connections, SendBudget sends,
                                            ClientAddress clients,
                                            Integrity integrity, Retention retention, ClusterNode cluster,
                                            Locations locations) throws IOException {
        Redaction redaction = new Redaction(config.redactKeys());
        if (config.redactKeys().isEmpty()) {
            LOG.warning("redact.keys is empty: secrets in recorded bodies are kept as sent");
        }
        return new Routes.Handlers(ops, metrics,
                new TutumApi(store, locations, redaction, config.maxPageBytes(), config.detailLogBytes(), sends),
                new BulkIngest(store, locations, redaction, config.maxBodyBytes()),
                new WaldurApi(store, new PublicOrigin(config.publicHosts(), clients), config.maxPageBytes(), sends),
                new AdminApi(store, retention, config.dataDir(), backedUpFiles(config),
                        () -> data.dir().scratch("backup"), Version.current(), sends, config.journalsAdminOperations(),
                        clients, locations, cluster == null ? null : config.cluster().node()), streams, connections,
                new IntegrityApi(store, integrity.proofs(), integrity.checkpointer(), sends, config.maxPageBytes()),
                new AccessLog(config.logging().access(), clients), new ClusterHeaders(cluster));
    }

    /**
     * The files a backup copies whole: the credential files, the data directory's format record, and the
     * checkpoint signing key when it lives in the data directory, so that a restored server signs as the same log.
     * Neither the tree (rebuilt at the restored server's first start) nor the checkpoint log (whose later
     * checkpoints the restored journal no longer holds).
     */
    private static List<String> backedUpFiles(Config config) {
        List<String> files = new java.util.ArrayList<>(CredentialStore.FILES);
        files.add(DataFormat.FILE);
        if (config.integrity().keyFile() == null) {
            files.add(Config.DATA_DIR_KEY_FILE);
        }
        return files;
    }

    /**
     * Retention runs once now (after the writer started, so the start does not wait for it) and every
     * {@code retention.check_minutes}; its timer ends with Vert.x at the stop.
     */
    private static Retention retention(Config config, Data data, Writer writer, Vertx vertx) {
        Config.Retention c = config.retention();
        Retention retention = new Retention(data.journal(), data.index(), writer,
                new Retention.Policy(c.days(), c.maxJournalBytes()), io.actionlog.action.Dates::now);
        if (retention.policy().active()) {
            runRetention(retention, "start");
            vertx.setPeriodic(TimeUnit.MINUTES.toMillis(c.checkMinutes()), id -> runRetention(retention, "schedule"));
        }
        return retention;
    }

    private static void runRetention(Retention retention, String trigger) {
        retention.run(trigger).whenComplete((report, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "retention run (" + trigger + ") failed: " + failure.getMessage(), failure);
            }
        });
    }

    /** See {@link AdminAudit#endUnfinished}: a journal that refuses them now is no reason not to start. */
    private static void endUnfinished(ActionStore store, String node) {
        try {
            AdminAudit.endUnfinished(store, node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the backups and retention runs left In progress were not ended", e);
        }
    }

    private static void catchUp(ClusterNode cluster) {
        try {
            cluster.catchUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while applying the topic");
        }
    }

    /** Replays the journal into the index; a replay longer than a few seconds logs its progress meanwhile. */
    private static long replay(Journal journal, ActionIndex index, ReplayProgress progress, Vertx vertx) {
        long t0 = System.nanoTime();
        long entries;
        long timer = vertx.setPeriodic(PROGRESS_LOG.toMillis(), id -> LOG.info(progress.line()));
        try {
            entries = index.replay(consumer -> journal.replay(0, progress.counting(consumer)));
        } catch (IdOutOfTurnException e) {
            String place = journal.placeOf(e.position());
            throw new IllegalStateException(e.getMessage() + (place == null ? "" : " (" + place + ")") + ": entries "
                    + "before it were removed, or entries added or copied in; `verify` names the damage", e);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (OutOfMemory.is(e)) {
                throw new IllegalStateException(HeapAdvice.forReplay(journal.size()), e);
            }
            throw e;
        } finally {
            vertx.cancelTimer(timer);
        }
        progress.finished();
        try {
            int read = index.resolveUuids(position -> ((Entry.Created) journal.read(position)).data().uuid());
            if (read > 0) {
                LOG.info(read + " actions share their uuid's high half with another: their uuids were read once");
            }
        } catch (RuntimeException e) { // their lookups stay right, only slower: each confirms them all
            LOG.log(Level.WARNING, "the uuids of actions that share a high half were not all read", e);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        double rate = entries / Math.max(1e-3, millis / 1000.0);
        LOG.info(String.format(Locale.ROOT, "replayed %d journal entries (%d actions) in %d ms (%.0f entries/s)",
                entries, index.liveCount(), millis, rate));
        return millis;
    }

}
