package io.actionlog.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of the server, typed and checked once at start. Keys are the dotted names of the contract;
 * {@link #DEFAULTS} is what applies when neither the file, the environment nor a system property sets a key.
 */
public record Config(
        String httpHost,
        int httpPort,
        int maxBodyBytes,
        int maxHeaderBytes,
        int maxInitialLineBytes,
        int httpEventLoops,
        int maxPageBytes,
        int detailLogBytes,
        Connections connections,
        java.util.List<String> publicHosts,
        Path dataDir,
        String adminKey,
        int authMaxFailures,
        int authFailureWindowSeconds,
        int authBlockSeconds,
        int authTrackedAddresses,
        java.util.List<String> redactKeys,
        String durability,
        int writerQueueCapacity,
        int writerBatchMax,
        int retryMaxPerAction,
        String auditCredentialChanges,
        String auditAdminOperations,
        Path geoRangesFile,
        Streams streams,
        boolean metricsVertxHttp,
        Integrity integrity,
        Tls tls,
        AddressRanges trustedProxies,
        AddressRanges authThrottleExempt,
        Logging logging,
        Retention retention,
        Cluster cluster) {

    /** Where configuration keys passed through to the Kafka clients start: kafka.client_properties.&lt;property&gt;. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client_properties.";

    /**
     * Cluster mode: {@code kind} {@code chronicle} is one host; {@code kafka} makes the topic the source of truth,
     * with this node's journal and index a local copy. {@code clientProperties} go to every Kafka client as they are
     * (TLS, SASL); {@code replicationFactor} is used only when the node creates the topic. A write waits at most
     * {@code writeTimeoutMs} for the topic and its own apply; a read asking for a position waits at most
     * {@code readWaitMs}.
     */
    public record Cluster(String kind, String bootstrapServers, String topic, String node,
                          Map<String, String> clientProperties, int replicationFactor, int writeTimeoutMs,
                          int readWaitMs) {
        public boolean kafka() {
            return kind.equals("kafka");
        }
    }

    /**
     * How long actions are kept: a finished action expires {@code days} days after its end date (0: never by age);
     * while the journal's data takes more than {@code maxJournalBytes} (0: no limit) the oldest finished ones expire
     * too. Checked at start and every {@code checkMinutes}.
     */
    public record Retention(int days, long maxJournalBytes, int checkMinutes) {
        /** Below this a size limit would drop the day file of the last hour's writes: a typo, not a policy. */
        public static final long MIN_JOURNAL_BYTES = 1L << 20;
    }

    /**
     * Tamper evidence: checkpoints name the log {@code origin} and are signed with the key in {@code keyFile} (null:
     * {@code <data>/integrity/signing.key}), at most every {@code checkpointSeconds} while the tree grows.
     */
    public record Integrity(String origin, Path keyFile, int checkpointSeconds) {
    }

    /**
     * Bounds of the live streams. Each socket buffers at most {@code maxPendingEntries} journal entries and about
     * {@code maxPendingBytes} of their text before it is cut off as too slow; the server pings every
     * {@code pingSeconds} and closes a socket that sent nothing (not even a pong) for {@code idleTimeoutSeconds}.
     */
    public record Streams(int maxPendingEntries, int maxPendingBytes, int pingSeconds, int idleTimeoutSeconds) {
    }

    /**
     * Bounds on HTTP connections: at most {@code max} open at once (more are closed as they arrive); a new
     * connection must deliver its first request's headers within {@code headerTimeoutSeconds}; a connection with no
     * request in progress, or on which a request's bytes stopped moving, is closed after {@code idleTimeoutSeconds}.
     * Live streams are governed by {@link Streams} instead. {@code maxUnsentBytes}: the most bytes of answers
     * handed to connections and not yet taken by their clients, for all of them together ({@code
     * http.max_unsent_bytes}, 0: a quarter of the heap).
     */
    public record Connections(int max, int headerTimeoutSeconds, int idleTimeoutSeconds, long maxUnsentBytes) {
    }

    /**
     * HTTPS on {@code http.port} when both PEM files are given (a certificate chain, and its private key in PKCS#8
     * or PKCS#1), plain HTTP when neither is. The files are read again when they change.
     */
    public record Tls(Path certFile, Path keyFile) {
        public boolean enabled() {
            return certFile != null;
        }
    }

    /**
     * The server's own log: {@code format} text or json (one object a line), written to stderr or to {@code file},
     * which is rotated once it reaches {@code fileMaxBytes} keeping {@code fileCount} files in all; with
     * {@code access}, one line per request.
     */
    public record Logging(String format, Path file, int fileMaxBytes, int fileCount, boolean access) {
        public boolean json() {
            return format.equals("json");
        }
    }

    public static final Map<String, String> DEFAULTS = defaults();

    /** A host name or address and an optional port: what a Host header may hold to be used in a URL. */
    public static final java.util.regex.Pattern HOST_HEADER = java.util.regex.Pattern.compile(
            "[A-Za-z0-9._~\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("http.host", "0.0.0.0");
        d.put("http.port", "8080");
        d.put("http.max_body_bytes", "1048576");
        d.put("http.max_header_bytes", "8192");
        d.put("http.max_initial_line_bytes", "8192");
        d.put("http.event_loops", "0");
        d.put("http.max_page_bytes", "4194304");
        d.put("http.detail_log_bytes", "65536");
        d.put("http.max_connections", "10000");
        d.put("http.header_timeout_seconds", "10");
        d.put("http.idle_timeout_seconds", "60");
        d.put("http.max_unsent_bytes", "0");
        d.put("http.public_hosts", null);
        d.put("http.trusted_proxies", null);
        d.put("http.tls.cert_file", null);
        d.put("http.tls.key_file", null);
        d.put("data.dir", "./data");
        d.put("auth.admin_key", null);
        d.put("auth.max_failures", "20");
        d.put("auth.failure_window_seconds", "60");
        d.put("auth.block_seconds", "300");
        d.put("auth.tracked_addresses", "10000");
        d.put("auth.throttle_exempt", null);
        d.put("redact.keys", "password,token,secret,api_key,authorization");
        d.put("journal.durability", "process");
        d.put("writer.queue_capacity", "65536");
        d.put("writer.batch_max", "4096");
        d.put("retry.max_per_action", "10");
        d.put("audit.credential_changes", "journal");
        d.put("audit.admin_operations", "journal");
        d.put("metrics.vertx_http", "false");
        d.put("geo.ranges_file", null);
        d.put("stream.max_pending_entries", "4096");
        d.put("stream.max_pending_bytes", "4194304");
        d.put("stream.ping_seconds", "20");
        d.put("stream.idle_timeout_seconds", "60");
        d.put("integrity.origin", "actionlog");
        d.put("integrity.key_file", null);
        d.put("integrity.checkpoint_seconds", "10");
        d.put("log.format", "text");
        d.put("log.file", null);
        d.put("log.file_max_bytes", "104857600");
        d.put("log.file_count", "5");
        d.put("log.access", "false");
        d.put("retention.days", "0");
        d.put("retention.max_journal_bytes", "0");
        d.put("retention.check_minutes", "60");
        d.put("journal.kind", "chronicle");
        d.put("kafka.bootstrap_servers", null);
        d.put("kafka.topic", "actionlog.journal");
        d.put("kafka.node", null);
        d.put("kafka.replication_factor", "3");
        d.put("kafka.write_timeout_ms", "10000");
        d.put("kafka.read_wait_ms", "5000");
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Builds the typed configuration from dotted keys; the first bad value stops it with a ConfigException. */
    public static Config of(Map<String, String> values) {
        Values v = new Values(values);
        return new Config(
                v.host("http.host"),
                v.integer("http.port", 0, 65535),
                v.integer("http.max_body_bytes", 1024, 256 << 20),
                v.integer("http.max_header_bytes", 1024, 1 << 20),
                v.integer("http.max_initial_line_bytes", 256, 1 << 20),
                eventLoops(v.integer("http.event_loops", 0, 256)),
                v.integer("http.max_page_bytes", 16 << 10, 1 << 30),
                v.integer("http.detail_log_bytes", 1024, 64 << 20),
                new Connections(v.integer("http.max_connections", 1, 1_000_000),
                        v.integer("http.header_timeout_seconds", 1, 3600),
                        v.integer("http.idle_timeout_seconds", 1, 86_400),
                        unsentBytes(v.wholeNumber("http.max_unsent_bytes", 0, Long.MAX_VALUE))),
                v.hosts("http.public_hosts"),
                v.path("data.dir"),
                v.adminKey("auth.admin_key"),
                v.integer("auth.max_failures", 0, 1_000_000),
                v.integer("auth.failure_window_seconds", 1, 86_400),
                v.integer("auth.block_seconds", 1, 86_400),
                v.integer("auth.tracked_addresses", 16, 10_000_000),
                v.names("redact.keys"),
                v.oneOf("journal.durability", "process", "os"),
                v.integer("writer.queue_capacity", 16, 1 << 24),
                v.integer("writer.batch_max", 1, 1 << 16),
                v.integer("retry.max_per_action", 0, 1_000_000),
                v.oneOf("audit.credential_changes", "journal", "log"),
                v.oneOf("audit.admin_operations", "journal", "log"),
                v.readableFile("geo.ranges_file"),
                streams(v),
                v.oneOf("metrics.vertx_http", "true", "false").equals("true"),
                new Integrity(v.origin("integrity.origin"), v.fileToWrite("integrity.key_file"),
                        v.integer("integrity.checkpoint_seconds", 1, 86_400)),
                tls(v),
                v.addressRanges("http.trusted_proxies"),
                v.addressRanges("auth.throttle_exempt"),
                new Logging(v.oneOf("log.format", "text", "json"), v.fileToWrite("log.file"),
                        v.integer("log.file_max_bytes", 1 << 20, Integer.MAX_VALUE), v.integer("log.file_count", 1, 1000),
                        v.oneOf("log.access", "true", "false").equals("true")),
                retention(v),
                cluster(v, values));
    }

    private static Cluster cluster(Values v, Map<String, String> values) {
        String kind = v.oneOf("journal.kind", "chronicle", "kafka");
        Map<String, String> client = new java.util.TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_CLIENT_PREFIX) && key.length() > KAFKA_CLIENT_PREFIX.length() && value != null) {
                client.put(key.substring(KAFKA_CLIENT_PREFIX.length()), value);
            }
        });
        String servers = v.optionalText("kafka.bootstrap_servers");
        if (kind.equals("kafka") && servers == null) {
            throw ConfigException.bad("kafka.bootstrap_servers", null,
                    "expected host:port[,host:port...] of the Kafka brokers (journal.kind is kafka)");
        }
        String node = v.optionalText("kafka.node");
        return new Cluster(kind, servers, v.topic("kafka.topic"), node != null ? v.name("kafka.node") : hostName(),
                Map.copyOf(client), v.integer("kafka.replication_factor", 1, 32),
                v.integer("kafka.write_timeout_ms", 1000, 600_000), v.integer("kafka.read_wait_ms", 0, 60_000));
    }

    /** The default node name: this host's name, which operators know the node by. */
    private static String hostName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
            return name.matches("[a-z0-9_.\\-]{1,100}") ? name : "node";
        } catch (java.io.IOException e) {
            return "node";
        }
    }

    private static Retention retention(Values v) {
        long bytes = v.wholeNumber("retention.max_journal_bytes", 0, Long.MAX_VALUE);
        if (bytes != 0 && bytes < Retention.MIN_JOURNAL_BYTES) {
            throw ConfigException.bad("retention.max_journal_bytes", bytes,
                    "expected 0 (no limit) or at least " + Retention.MIN_JOURNAL_BYTES + " bytes");
        }
        return new Retention(v.integer("retention.days", 0, 36_500), bytes,
                v.integer("retention.check_minutes", 1, 10_080));
    }

    private static Tls tls(Values v) {
        Path cert = v.pemFile("http.tls.cert_file", "CERTIFICATE");
        Path key = v.pemFile("http.tls.key_file", "PRIVATE KEY");
        if ((cert == null) != (key == null)) {
            String missing = cert == null ? "http.tls.cert_file" : "http.tls.key_file";
            throw ConfigException.bad(missing, null, "TLS needs both http.tls.cert_file and http.tls.key_file");
        }
        return new Tls(cert, key);
    }

    /** 0: a quarter of the heap, which the answers' buffers (or their direct copies) would otherwise exhaust. */
    private static long unsentBytes(long configured) {
        return configured > 0 ? configured : Runtime.getRuntime().maxMemory() / 4;
    }

    /** 0 means one event loop per core the JVM may use. */
    private static int eventLoops(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    private static Streams streams(Values v) {
        int ping = v.integer("stream.ping_seconds", 1, 3600);
        int idle = v.integer("stream.idle_timeout_seconds", 2, 7200);
        if (idle <= ping) {
            throw ConfigException.bad("stream.idle_timeout_seconds", idle,
                    "must be longer than stream.ping_seconds (" + ping + "), or every socket would time out");
        }
        return new Streams(v.integer("stream.max_pending_entries", 1, 1 << 20),
                v.integer("stream.max_pending_bytes", 1024, 1 << 30), ping, idle);
    }

    /** The settings an operator checks first, for the log line at start; no secret (the admin key is not named). */
    public String summary() {
        return "http " + httpHost + ":" + httpPort + (tls.enabled() ? " HTTPS (" + tls.certFile() + ")" : " HTTP")
                + ", event loops " + httpEventLoops + ", data " + dataDir.toAbsolutePath().normalize()
                + ", durability " + durability
                + ", trusted proxies [" + trustedProxies + "], auth throttle "
                + (authMaxFailures == 0 ? "off" : authMaxFailures + " failures/" + authFailureWindowSeconds + " s"
                        + (authThrottleExempt.isEmpty() ? "" : " except [" + authThrottleExempt + "]"))
                + ", log " + logging.format() + (logging.file() == null ? " to stderr" : " to " + logging.file())
                + (logging.access() ? " with access log" : "") + ", heap max "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB";
    }

    /** Whether each credential change becomes an action in the journal as well as a line in the log. */
    public boolean journalsCredentialChanges() {
        return auditCredentialChanges.equals("journal");
    }

    /** Whether each backup download and retention run an admin asks for becomes an action in the journal. */
    public boolean journalsAdminOperations() {
        return auditAdminOperations.equals("journal");
    }

    /** Where the checkpoint signing key is kept in the data directory unless integrity.key_file names a file. */
    public static final String DATA_DIR_KEY_FILE = "integrity/signing.key";

    /** The signing key's file: {@code integrity.key_file}, or its place in the data directory. */
    public Path keyFile() {
        return integrity.keyFile() != null ? integrity.keyFile() : dataDir.resolve(DATA_DIR_KEY_FILE);
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }
}
