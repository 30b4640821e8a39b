package io.actionlog.server;

import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Reloads the credentials and records their changes ({@link CredentialAudit}), at start and then every second. A
 * failure is tried again at the next tick, the changes waiting in their log meanwhile; it is logged when its reason
 * changes, and the same reason again at most once a minute: while writes are refused (a cluster node whose brokers
 * do not answer) it would otherwise fill the log with one line a second.
 */
final class CredentialSync {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());
    static final long REPEAT_NANOS = 60_000_000_000L;

    /** One reload: whether the credentials changed; IOException when they could not be read or their changes recorded. */
    @FunctionalInterface
    interface Reload {
        boolean run() throws IOException;
    }

    private final Reload reload;
    private final LongSupplier nanoClock;
    private String lastFailure;
    private long lastSaidAt;

    CredentialSync(Reload reload, LongSupplier nanoClock) {
        this.reload = reload;
        this.nanoClock = nanoClock;
    }

    /** One at a time: the start calls it, then the timer's blocking task, never both at once. */
    synchronized boolean run() {
        try {
            boolean changed = reload.run();
            if (lastFailure != null) {
                LOG.info("credentials reloaded and their changes recorded again");
                lastFailure = null;
            }
            return changed;
        } catch (IOException e) {
            // Some have no message (a channel closed under the reload): their kind names them then.
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            long now = nanoClock.getAsLong();
            if (!why.equals(lastFailure) || now - lastSaidAt >= REPEAT_NANOS) {
                LOG.warning("credentials not reloaded or their changes not recorded (tried again every second, said"
                        + " again at most once a minute): " + why);
                lastFailure = why;
                lastSaidAt = now;
            }
            return false;
        }
    }
}
