package io.actionlog.support;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Fails the first line of a logger that holds a given text, as the logging call that writes it: a failure at exactly
 * that step of the code that logs it, with nothing added to that code.
 */
public final class FailingLine extends Handler implements AutoCloseable {
    private final Logger logger;
    private final String part;
    private volatile IllegalStateException thrown;

    private FailingLine(Logger logger, String part) {
        this.logger = logger;
        this.part = part;
    }

    public static FailingLine on(String loggerName, String part) {
        FailingLine line = new FailingLine(Logger.getLogger(loggerName), part);
        line.logger.addHandler(line);
        return line;
    }

    /** What the line threw, or null before. */
    public IllegalStateException thrown() {
        return thrown;
    }

    @Override
    public void publish(LogRecord record) {
        if (thrown == null && record.getMessage() != null && record.getMessage().contains(part)) {
            thrown = new IllegalStateException("the log could not take: " + record.getMessage());
            throw thrown;
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
