package io.actionlog.logs;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * The log written to {@code log.file}, rotated by size: once the file passes {@code maxBytes}, it becomes
 * {@code <file>.1} (the older ones move to {@code .2} and so on, the oldest of {@code count} files in all is
 * dropped) and a fresh file is started. Size rather than a signal from logrotate, so the server needs neither a
 * cron job nor a reload to keep its logs bounded; every line is flushed as it is written. The JDK's FileHandler was
 * not used: it names the current file {@code <file>.0} when it keeps several, and reads {@code %} in the path as
 * a pattern.
 *
 * <p>Threads: {@link #publish} is synchronised, as StreamHandler's own is.
 */
public final class RotatingFileHandler extends StreamHandler {
    private final Path file;
    private final long maxBytes;
    private final int count;
    private long written;

    public RotatingFileHandler(Path file, long maxBytes, int count) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.count = count;
        open();
    }

    private void open() throws IOException {
        // Client addresses and credential names are in the log: a new file is its owner's alone, like the data.
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, OwnerOnly.file());
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: appended to as it is
            }
        }
        written = Files.exists(file) ? Files.size(file) : 0;
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        setOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written += len;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        });
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        super.publish(record);
        flush();
        if (written >= maxBytes) {
            rotate();
        }
    }

    private void rotate() {
        try {
            close();
            for (int i = count - 1; i >= 1; i--) {
                Path from = i == 1 ? file : sibling(i - 1);
                if (Files.exists(from)) {
                    Files.move(from, sibling(i), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (count == 1) {
                Files.deleteIfExists(file);
            }
            open();
        } catch (IOException e) {
            reportError("log file not rotated: " + e.getMessage(), e, ErrorManager.GENERIC_FAILURE);
        }
    }

    private Path sibling(int generation) {
        return file.resolveSibling(file.getFileName() + "." + generation);
    }
}
