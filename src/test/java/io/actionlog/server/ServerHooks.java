package io.actionlog.server;

import io.actionlog.config.Config;
import io.actionlog.http.OutOfMemory;
import java.io.IOException;
import java.util.function.LongSupplier;

/** What tests in other packages may do to a server beyond its public face: set the throttle's clock, reload now. */
public final class ServerHooks {
    private ServerHooks() {
    }

    public static Server start(Config config, OutOfMemory outOfMemory, LongSupplier throttleClock) throws Exception {
        return Server.start(config, outOfMemory, throttleClock);
    }

    /** As above, with the journal's day files rolled by {@code journalClock} (epoch ms; null: the real clock). */
    public static Server start(Config config, OutOfMemory outOfMemory, LongSupplier throttleClock,
                               LongSupplier journalClock) throws Exception {
        return Server.start(config, outOfMemory, throttleClock, journalClock);
    }

    /** Returns once credential changes written before the call are in force in {@code server}. */
    public static void reloadCredentials(Server server) throws IOException {
        server.reloadCredentials();
    }
}
