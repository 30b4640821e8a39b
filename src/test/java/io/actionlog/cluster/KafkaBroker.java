package io.actionlog.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real single-node Kafka cluster in this JVM: Kafka's own KRaft server with the broker and controller roles in
 * one node, listening on 127.0.0.1 only (a client port and a controller port). The log directory holds both the
 * metadata log and the topics' partitions; it is formatted on first start when empty and kept by {@link #stop()},
 * so {@link #restart()} comes back with the same data on the same ports and clients reconnect to the same address.
 *
 * <p>The quorum is the static voter list {@code 1@127.0.0.1:<controller port>}: nothing in the formatted directory
 * names a port, so a directory may be reused with other ports.
 *
 * <p>Kafka logs through SLF4J, bound here to java.util.logging; its loggers are held at WARNING so that test output
 * stays small. Not thread-safe: one test thread starts, stops and restarts it.
 */
public final class KafkaBroker implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    /** Ports are picked from here up to the start of the ephemeral range; the IANA ephemeral start elsewhere. */
    private static final int LOWEST_PORT = 20_000;
    private static final int DEFAULT_EPHEMERAL_START = 49_152;
    private static final int START_ATTEMPTS = 3;
    /** JUL holds loggers weakly: a level set on a logger nobody references is lost at the next collection. */
    private static final List<Logger> QUIET_LOGGERS = List.of(
            Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"), Logger.getLogger("state.change.logger"));

    static {
        QUIET_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    }

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * A broker over {@code logDir} on two free ports of 127.0.0.1 below the ephemeral range, ready for clients. A
     * port found free can be taken before the broker binds it (test runs side by side pick ports from the same
     * range): then the broker starts again on two others.
     */
    public static KafkaBroker start(Path logDir) throws IOException {
        return start(logDir, KafkaBroker::freePort);
    }

    /** As {@link #start(Path)}, the ports picked by {@code ports}. */
    static KafkaBroker start(Path logDir, IntSupplier ports) throws IOException {
        keepTheProcessOnFatalErrors();
        for (int attempt = 1; ; attempt++) {
            int port = ports.getAsInt();
            int controllerPort = ports.getAsInt();
            while (controllerPort == port) {
                controllerPort = ports.getAsInt();
            }
            try {
                return start(logDir, port, controllerPort);
            } catch (RuntimeException e) {
                // Kafka reports a listener that cannot bind as a fatal error, whose exception names no port: the
                // broker has stopped, so a port that still cannot be bound is held by someone else.
                if (attempt == START_ATTEMPTS || (free(port) && free(controllerPort))) {
                    throw e;
                }
            }
        }
    }

    /**
     * Kafka ends the process on a fatal error, such as a listener that cannot bind. In a test JVM that is an
     * exception instead: a broker that cannot start fails its test, or starts again, but does not end the test run.
     */
    private static void keepTheProcessOnFatalErrors() {
        Exit.Procedure refuse = (status, message) -> {
            throw new IllegalStateException("Kafka would have ended the process (status " + status + "): " + message);
        };
        Exit.setExitProcedure(refuse);
        Exit.setHaltProcedure(refuse);
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** A broker on the given ports; {@code logDir} is formatted when empty and reused when already formatted. */
    public static KafkaBroker start(Path logDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(logDir);
        KafkaBroker broker = new KafkaBroker(logDir, port, controllerPort);
        // A directory formatted before (a script's kept directory) is reused: formatting it again would give it a
        // second cluster id, which Kafka refuses.
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            broker.format();
        }
        broker.startServer();
        return broker;
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDir() {
        return logDir;
    }

    public boolean running() {
        return server != null;
    }

    /** Shuts the broker down and waits until its ports are closed; the log directory is kept. Idempotent. */
    public void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer s = server;
        server = null;
        s.shutdown();
        s.awaitShutdown();
    }

    /** Stops the broker if it runs, then starts it again over the same directory on the same ports. */
    public void restart() {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
    }

    private void startServer() {
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(settings()), Time.SYSTEM);
        try {
            // Returns once the broker has caught up with the metadata log and is unfenced: ready for clients.
            s.startup();
        } catch (RuntimeException e) {
            try {
                s.shutdown();
                s.awaitShutdown();
            } catch (RuntimeException whileStopping) {
                e.addSuppressed(whileStopping);
            }
            throw e;
        }
        server = s;
    }

    private void format() {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(),
                    e);
        }
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("process.roles", "broker,controller");
        s.put("node.id", String.valueOf(NODE_ID));
        s.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        s.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        s.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
        s.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        s.put("controller.listener.names", "CONTROLLER");
        s.put("inter.broker.listener.name", "PLAINTEXT");
        s.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and nothing waits for members that will not come.
        s.put("offsets.topic.replication.factor", "1");
        s.put("offsets.topic.num.partitions", "1");
        s.put("transaction.state.log.replication.factor", "1");
        s.put("transaction.state.log.min.isr", "1");
        s.put("transaction.state.log.num.partitions", "1");
        s.put("share.coordinator.state.topic.replication.factor", "1");
        s.put("share.coordinator.state.topic.min.isr", "1");
        s.put("group.initial.rebalance.delay.ms", "0");
        // Topics are made on purpose (the cluster mode checks their settings), never by a stray client.
        s.put("auto.create.topics.enable", "false");
        return s;
    }

    /**
     * A port of 127.0.0.1 that nothing listens on, below the kernel's ephemeral range. Not a port 0 probe: the
     * broker's ports are free while it is stopped, and a client retrying against them takes its source port from the
     * ephemeral range, where it could bind the broker's own port (or connect to itself) and keep it from restarting.
     */
    static int freePort() {
        int below = Math.max(ephemeralRangeStart(), LOWEST_PORT + 1_000);
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST_PORT, below);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getByName(HOST))) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // Taken: try another.
            }
        }
        throw new IllegalStateException("no free port of " + HOST + " between " + LOWEST_PORT + " and " + below);
    }

    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
