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

    private AcceptedWhileStopping(Filter before) {
        this.before = before;
    }

    static AcceptedWhileStopping install() {
        AcceptedWhileStopping filter = new AcceptedWhileStopping(NETTY.getFilter());
        NETTY.setFilter(filter);
        return filter;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.startsWith(FAILED)) {
            closed.incrementAndGet();
            return false;
        }
        return before == null || before.isLoggable(record);
    }

    /** Puts the filter there before back, and says how many connections were closed unanswered. */
    int remove() {
        NETTY.setFilter(before);
        return closed.get();
    }
}
