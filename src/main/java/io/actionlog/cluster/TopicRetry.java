package io.actionlog.cluster;

import io.actionlog.config.ConfigException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The topic check of a node that started while the brokers did not answer, tried again on a thread of its own
 * (never an event loop): first {@value #FIRST_WAIT_MS} ms after the start, then after twice the previous wait, up to
 * {@value #MAX_WAIT_MS} ms between tries; each of a try's requests waits at most {@code kafka.write_timeout_ms}. It
 * ends at the first answer, whichever it is: {@code passed} gets the topic that passed its check, {@code failed} why
 * it did not (a setting that loses history, a client setting the brokers refuse). Both run on this thread.
 */
final class TopicRetry implements AutoCloseable {
    static final long FIRST_WAIT_MS = 1_000;
    static final long MAX_WAIT_MS = 30_000;
    private static final Logger LOG = Logger.getLogger(TopicRetry.class.getName());

    interface Check {
        TopicCheck.Topic run() throws InterruptedException;
    }

    private final Thread thread;

    TopicRetry(Check check, Consumer<TopicCheck.Topic> passed, Consumer<RuntimeException> failed) {
        this.thread = new Thread(() -> loop(check, passed, failed), "actionlog-topic-retry");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private static void loop(Check check, Consumer<TopicCheck.Topic> passed, Consumer<RuntimeException> failed) {
        long wait = FIRST_WAIT_MS;
        try {
            while (true) {
                Thread.sleep(wait);
                TopicCheck.Topic topic;
                try {
                    topic = check.run();
                } catch (TopicCheck.NoAnswer | ConfigException e) {
                    // A host name that no longer resolves is a name server away for the moment, not a setting to mend:
                    // the start, which refuses it, has taken it once.
                    wait = Math.min(MAX_WAIT_MS, wait * 2);
                    LOG.info(e.getMessage() + "; trying again in " + TimeUnit.MILLISECONDS.toSeconds(wait) + " s");
                    continue;
                } catch (RuntimeException e) {
                    if (!Thread.currentThread().isInterrupted()) { // not the Kafka client's word for close()'s interrupt
                        failed.accept(e);
                    }
                    return;
                }
                passed.accept(topic);
                return;
            }
        } catch (InterruptedException e) {
            // close(): the node stops
        }
    }

    /** Stops trying; waits for a try under way, which an interrupt ends. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
