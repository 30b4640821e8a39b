package io.actionlog.cluster;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@link KafkaBroker} as a process for scripts (scripts/kafka-broker.sh): prints one line {@code kafka broker
 * listening on 127.0.0.1:PORT} once clients can connect, and stops the broker cleanly on SIGTERM or Ctrl-C.
 */
@Command(name = "kafka-broker", mixinStandardHelpOptions = true,
        description = "A single-node Kafka cluster (KRaft, broker and controller in one process) on 127.0.0.1.")
public final class KafkaBrokerMain implements Callable<Integer> {
    static final int DEFAULT_PORT = 9092;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "client port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--controller-port", description = "controller port (default: the client port + 1)")
    Integer controllerPort;

    @Option(names = "--dir", required = true,
            description = "log directory: formatted when empty, reused with its topics when already formatted")
    Path dir;

    public static void main(String[] args) {
        int code = new CommandLine(new KafkaBrokerMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        int controller = controllerPort == null ? port + 1 : controllerPort;
        if (controller == port) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--controller-port must differ from --port (both are " + port + ")");
        }
        KafkaBroker broker = KafkaBroker.start(dir, port, controller);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-broker-stop"));
        System.out.println("kafka broker listening on " + broker.bootstrapServers());
        System.out.flush();
        // The broker runs until a signal; the hook stops it, then this returns and the JVM ends.
        stopped.await();
        return 0;
    }
}
