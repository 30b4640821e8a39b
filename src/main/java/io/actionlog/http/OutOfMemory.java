package io.actionlog.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * What the process does once an {@link OutOfMemoryError} was thrown while serving a request, a stream or any other
 * event-loop task. After one, any object may be half built and any thread may have lost work without its cleanup,
 * so the process is no longer trusted. {@link #exiting()} (what the server runs with) logs one SEVERE line and exits
 * with {@link #EXIT_STATUS}, so that a service manager starts a fresh process, which replays the journal. The exit
 * runs the shutdown hook (stop listening, finish the accepted writes, close the journal) on a thread of its own, so
 * the thread that saw the error can still answer its request with a 503; a process that has not exited within
 * {@link #HALT_AFTER_SECONDS} halts. {@link #loggingOnly()} only logs, for servers run inside a test's JVM.
 *
 * <p>Responses are bounded by configuration, so this is a last line of defence, not a way of working.
 */
public final class OutOfMemory {
    public static final int EXIT_STATUS = 3;
    static final int HALT_AFTER_SECONDS = 10;
    private static final Logger LOG = Logger.getLogger(OutOfMemory.class.getName());

    private final String consequence;
    private final Runnable then;
    private final AtomicBoolean acted = new AtomicBoolean();

    /** {@code then} runs once, after the first out-of-memory line; {@code consequence} ends that line. */
    public OutOfMemory(String consequence, Runnable then) {
        this.consequence = consequence;
        this.then = then;
    }

    public static OutOfMemory exiting() {
        return new OutOfMemory("exiting with status " + EXIT_STATUS + " so that the service manager restarts it",
                OutOfMemory::exit);
    }

    public static OutOfMemory loggingOnly() {
        return new OutOfMemory("not exiting: this server was started to carry on (tests only)", () -> { });
    }

    /** Whether {@code t} is, or was caused by, an OutOfMemoryError. */
    public static boolean is(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    /** Acts on {@code t} if it is an out-of-memory failure ({@link #is}); anything else is left to the caller. */
    public void check(String during, Throwable t) {
        if (!is(t)) {
            return;
        }
        LOG.severe("out of memory while " + during + "; the process state is no longer trusted, " + consequence);
        if (acted.compareAndSet(false, true)) {
            then.run();
        }
    }

    private static void exit() {
        Thread halt = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(HALT_AFTER_SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT_STATUS);
        }, "actionlog-oom-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(EXIT_STATUS), "actionlog-oom-exit").start();
    }
}
