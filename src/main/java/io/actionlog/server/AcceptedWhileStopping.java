package io.actionlog.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Connections that arrive while the HTTP servers stop, counted instead of logged one by one. Vert.x 5.1 takes its
 * event loops from a server before the server stops accepting, so each connection accepted in between fails to
 * register and Netty closes it, logging a warning with a stack trace per connection (dozens at a stop under load);
 * nothing is lost that the stop would not refuse anyway. Installed for the stop only: the same warning at any other
 * time is kept.
 */
final class AcceptedWhileStopping implements Filter {
    /** Held, so that Netty's logger, made on first use, is this instance with the filter. */
    private static final Logger NETTY = Logger.getLogger("io.netty.bootstrap.ServerBootstrap");
    private static final String FAILED = "Failed to register an accepted channel";

    private final Filter before;
    private final AtomicInteger closed = new AtomicInteger();
    /** Once removed, it only passes records on (while a filter installed over it still calls it). */
    private volatile boolean removed;

    private AcceptedWhileStopping(Filter before) {
        this.before = before;
    }

    /** Synchronized with {@link #remove}: servers of one process (tests start several) may stop together. */
    static synchronized AcceptedWhileStopping install() {
        AcceptedWhileStopping filter = new AcceptedWhileStopping(NETTY.getFilter());
        NETTY.setFilter(filter);
        return filter;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (!removed && message != null && message.startsWith(FAILED)) {
            closed.incrementAndGet();
            return false;
        }
        return before == null || before.isLoggable(record);
    }

    /**
     * Takes this filter out, and says how many connections were closed unanswered. Where another stop installed its
     * filter over this one, this one only passes records on until that one is removed, which takes both out.
     */
    int remove() {
        synchronized (AcceptedWhileStopping.class) {
            removed = true;
            if (NETTY.getFilter() == this) {
                Filter next = before;
                while (next instanceof AcceptedWhileStopping under && under.removed) {
                    next = under.before;
                }
                NETTY.setFilter(next);
            }
        }
        return closed.get();
    }
}
