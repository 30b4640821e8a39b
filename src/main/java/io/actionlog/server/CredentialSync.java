package io.actionlog.server;

import io.actionlog.logs.Repeats;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Reloads the credentials and records their changes ({@link CredentialAudit}), at start and then every second. A
 * failure is tried again at the next tick, the changes waiting in their log meanwhile; each reason is logged at most
 * once a minute, and the recovery once after a reason was logged: while writes are refused (a cluster node whose
 * brokers do not answer, a full disk) it would otherwise fill the log with one line a second. Reasons are told apart
 * with their numbers left out, as a full disk names its free bytes and a timeout the milliseconds it waited, and a
 * few are remembered, as brokers that come and go give two reasons by turns.
 */
final class CredentialSync {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());
    /** Reasons remembered at most: more than a failing reload gives by turns, few enough to look through each time. */
    private static final int REASONS = 8;

    /** One reload: whether the credentials changed; IOException when they could not be read or their changes recorded. */
    @FunctionalInterface
    interface Reload {
        boolean run() throws IOException;
    }

    private final Reload reload;
    private final Repeats reasons;
    /** Whether a reason was logged since the last recovery. */
    private boolean failureSaid;
    private final AtomicBoolean running = new AtomicBoolean();

    CredentialSync(Reload reload, LongSupplier nanoClock) {
        this.reload = reload;
        this.reasons = new Repeats(REASONS, nanoClock);
    }

    /**
     * The timer's tick: a run on a worker, unless the last one still runs. A run waits up to 10 s for a writer that
     * does not answer; a run queued each second meanwhile would pile up without bound, to run all at once later.
     */
    void tick(Vertx vertx) {
        if (running.compareAndSet(false, true)) {
            vertx.executeBlocking(this::run).onComplete(done -> running.set(false));
        }
    }

    /** One at a time: the start calls it, then the timer's blocking task, never both at once. */
    synchronized boolean run() {
        try {
            boolean changed = reload.run();
            if (failureSaid) {
                LOG.info("credentials reloaded and their changes recorded again");
                failureSaid = false;
            }
            return changed;
        } catch (IOException e) {
            // Some have no message (a channel closed under the reload): their kind names them then.
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
            if (reasons.firstInAMinute(why)) {
                LOG.warning("credentials not reloaded or their changes not recorded (tried again every second, said"
                        + " again at most once a minute): " + why);
                failureSaid = true;
            }
            return false;
        }
    }
}
