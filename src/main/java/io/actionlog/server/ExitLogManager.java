package io.actionlog.server;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that it keeps its handlers while the JVM exits. The JDK's manager registers a
 * shutdown hook of its own that resets it, closing every handler; shutdown hooks run concurrently, so the server's
 * stop (itself a shutdown hook on SIGTERM) lost its log lines to that race. Handlers here write through at each
 * record (the console handler flushes every line), so skipping the reset at exit loses nothing.
 *
 * <p>Chosen by the system property {@code java.util.logging.manager}, which must be set before the first logger is
 * made; {@code Main} sets it unless the operator chose a manager of their own.
 */
public final class ExitLogManager extends LogManager {
    @Override
    public void reset() {
        if (!exiting()) {
            super.reset();
        }
    }

    /** True once the JVM runs its shutdown hooks: the runtime then refuses new ones. */
    private static boolean exiting() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
