package io.actionlog.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.logging.Logger;

/**
 * Every connection is a file descriptor. When the process may open fewer than {@code http.max_connections} plus
 * what the journal and the JVM need, the limit that bites is the operating system's, and it bites badly: accepting
 * fails, and {@code /health} goes unanswered with the rest. The start warns of that once.
 */
final class FileLimit {
    private static final Logger LOG = Logger.getLogger(FileLimit.class.getName());
    /** Descriptors the server needs besides connections: journal files, the jar, the JVM, the event loops. */
    static final int RESERVED = 256;

    private FileLimit() {
    }

    static void check(int maxConnections) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() < maxConnections
                + (long) RESERVED) {
            LOG.warning("this process may open " + unix.getMaxFileDescriptorCount() + " files, fewer than "
                    + "http.max_connections (" + maxConnections + ") + " + RESERVED + ": raise the limit (ulimit -n, "
                    + "LimitNOFILE=) or lower http.max_connections, or new connections will fail once it is reached");
        }
    }
}
