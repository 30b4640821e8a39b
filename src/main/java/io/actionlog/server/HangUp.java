package io.actionlog.server;

import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * SIGHUP, which the JVM takes as a stop, does not stop the server. Operators send it out of habit, to have a
 * daemon reopen its log or reload its settings (logrotate's {@code postrotate}); this server rotates its own log
 * by size and reloads its TLS files when they change, so there is nothing to do, and a stop would be an outage
 * (exit 129, which the service unit counts as a failure). It is logged, so that whoever sent it learns that.
 */
final class HangUp {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    private HangUp() {
    }

    static void ignore() {
        try {
            Signal.handle(new Signal("HUP"), signal -> LOG.info("SIGHUP: nothing to reload (the log rotates by size,"
                    + " TLS files are read again when they change); the server goes on. SIGTERM stops it."));
        } catch (IllegalArgumentException e) {
            // No such signal here (not a POSIX system), or the JVM was told to leave signals alone (-Xrs).
        }
    }
}
