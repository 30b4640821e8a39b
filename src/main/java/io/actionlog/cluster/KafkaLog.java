package io.actionlog.cluster;

import io.actionlog.logs.Repeats;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What the Kafka clients log, kept readable. They log every setting of every client at INFO when it starts: held at
 * WARNING. Their network client warns at each attempt to reach a broker that does not answer, about once a second a
 * client (more while it backs off from 50 ms): while the brokers stay away for hours that would be tens of thousands
 * of lines, so each such warning is said at most once a minute, told apart without its client's name and its numbers
 * (node ids, addresses), as several clients say the same. {@code /health} shows the outage meanwhile. Called by
 * Kafka's threads, any of them.
 */
final class KafkaLog implements Filter {
    /** Warnings remembered at most: more than an outage gives, few enough to look through each time. */
    private static final int WARNINGS = 16;
    private static final Pattern CLIENT = Pattern.compile("^\\[[^\\]]*\\] ");
    /** The JDK holds loggers weakly: a level or a filter set on a logger nobody references is lost. */
    private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");
    private static final Logger NETWORK = Logger.getLogger("org.apache.kafka.clients.NetworkClient");
    private static final KafkaLog ONCE_A_MINUTE = new KafkaLog(System::nanoTime);

    private final Repeats repeats;

    KafkaLog(LongSupplier nanoClock) {
        this.repeats = new Repeats(WARNINGS, nanoClock);
    }

    /** Before the node makes its first client; again changes nothing. */
    static void quiet() {
        KAFKA.setLevel(Level.WARNING);
        NETWORK.setFilter(ONCE_A_MINUTE);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return message == null || repeats.firstInAMinute(CLIENT.matcher(message).replaceFirst(""));
    }
}
