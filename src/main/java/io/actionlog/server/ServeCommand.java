package io.actionlog.server;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.logs.LogSetup;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code serve}: runs the server until SIGTERM or Ctrl-C (SIGHUP is not a stop: {@link HangUp}); a fresh data
 * directory is created and the log says so.
 */
@Command(name = "serve", description = "Run the server (the command when none is given).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        LogSetup.apply(config.logging());
        LOG.info("settings from " + options.sources());
        HangUp.ignore(); // before the start: a replay can take minutes
        // A stop while the journal replays has nothing to close cleanly (what the start wrote is as safe as after a
        // kill, and the next start goes on from it), but the log must say why the start ended.
        Thread duringStart = new Thread(() -> LOG.info("stopping before the start finished: the next start reads"
                + " the journal again"), "actionlog-stop-during-start");
        Runtime.getRuntime().addShutdownHook(duringStart);
        Server server;
        try {
            server = Server.start(config);
        } catch (Exception | Error e) {
            forget(duringStart); // the start failed and says why: the exit that follows is not a stop
            throw e;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(duringStart);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "actionlog-shutdown"));
        } catch (IllegalStateException e) {
            server.close(); // the stop came as the start ended: close what it opened, as far as the exit lets it
            return 0;
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void forget(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already exiting: the hook runs, and its line is true
        }
    }
}
