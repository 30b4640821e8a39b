package io.actionlog.server;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.regex.Pattern;

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
    static final long REPEAT_NANOS = 60_000_000_000L;
    /** Reasons remembered at most: more than a failing reload gives by turns, few enough to look through each time. */
    private static final int REASONS = 8;
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    /** One reload: whether the credentials changed; IOException when they could not be read or their changes recorded. */
    @FunctionalInterface
    interface Reload {
        boolean run() throws IOException;
    }

    private final Reload reload;
    private final LongSupplier nanoClock;
    /** When each reason (its numbers left out) was last logged, oldest first; and whether one was since the recovery. */
    private final Map<String, Long> saidAt = new LinkedHashMap<>();
    private boolean failureSaid;
    private final AtomicBoolean running = new AtomicBoolean();

    CredentialSync(Reload reload, LongSupplier nanoClock) {
        this.reload = reload;
        this.nanoClock = nanoClock;
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
            if (firstInAMinute(NUMBERS.matcher(why).replaceAll("#"), nanoClock.getAsLong())) {
                LOG.warning("credentials not reloaded or their changes not recorded (tried again every second, said"
                        + " again at most once a minute): " + why);
                failureSaid = true;
            }
            return false;
        }
    }

    /** Whether {@code reason} was not logged in the minute before {@code now}; if so, it counts as logged now. */
    private boolean firstInAMinute(String reason, long now) {
        saidAt.values().removeIf(at -> now - at >= REPEAT_NANOS);
        if (saidAt.containsKey(reason)) {
            return false;
        }
        if (saidAt.size() == REASONS) {
            saidAt.remove(saidAt.keySet().iterator().next());
        }
        saidAt.put(reason, now);
        return true;
    }
}
