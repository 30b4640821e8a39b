package io.actionlog.server;

import io.actionlog.config.Config;
import io.actionlog.config.ConfigOptions;
import io.actionlog.logs.LogSetup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code serve}: runs the server until SIGTERM or Ctrl-C (SIGHUP is not a stop: {@link HangUp}); a fresh data
 * directory is created and the log says so.
 */
@Command(name = "serve", description = "Run the server (the command when none is given).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        LogSetup.apply(config.logging());
        java.util.logging.Logger.getLogger(Server.class.getName()).info("settings from " + options.sources());
        HangUp.ignore(); // before the start: a replay can take minutes
        Server server = Server.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "actionlog-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
