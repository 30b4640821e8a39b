package io.actionlog.logs;

import io.actionlog.config.Config;
import java.io.IOException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Points the JDK's root logger, which every library's log reaches (Vert.x and Netty directly, Chronicle through
 * slf4j-jdk14), at {@code log.file} or stderr, in {@code log.format}. Called once by {@code serve} before the server
 * starts; tests leave the logging as the JDK sets it up.
 */
public final class LogSetup {
    private LogSetup() {
    }

    public static void apply(Config.Logging logging) throws IOException {
        Handler handler = logging.file() == null ? new ConsoleHandler()
                : new RotatingFileHandler(logging.file(), logging.fileMaxBytes(), logging.fileCount());
        handler.setLevel(Level.INFO);
        handler.setFormatter(logging.json() ? new JsonLogFormatter() : new SimpleFormatter());
        Logger root = Logger.getLogger("");
        for (Handler old : root.getHandlers()) {
            root.removeHandler(old);
            old.close();
        }
        root.addHandler(handler);
    }
}
