package io.actionlog.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses appends while the journal's file system has less than a reserve of free space. Chronicle grows its
 * files sparsely and writes through memory maps, so a full disk would surface as SIGBUS (an InternalError in the
 * writer, the write lock left held) rather than as an IOException; refusing early keeps the journal consistent.
 * Asks the OS at most once per MiB appended or per second. Writer thread only.
 */
final class DiskSpaceGuard {

    private static final long CHECK_EVERY_BYTES = 1 << 20;
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final Path dir;
    private final FileStore store;
    private final long reserveBytes;
    private long uncheckedBytes = Long.MAX_VALUE / 2; // check before the first append
    private long lastCheckNanos;

    DiskSpaceGuard(Path dir, long reserveBytes) {
        this.dir = dir;
        this.reserveBytes = reserveBytes;
        try {
            this.store = Files.getFileStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect the file system of " + dir + ": " + e, e);
        }
    }

    void beforeAppend(long bytes) {
        uncheckedBytes += bytes;
        long now = System.nanoTime();
        if (uncheckedBytes < CHECK_EVERY_BYTES && now - lastCheckNanos < CHECK_EVERY_NANOS) {
            return;
        }
        long free;
        try {
            free = store.getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir + ": " + e, e);
        }
        if (free - bytes < reserveBytes) {
            throw new JournalFullException("journal " + dir + " has " + free + " bytes free and keeps "
                    + reserveBytes + " in reserve: refusing to append " + bytes + " bytes");
        }
        uncheckedBytes = 0;
        lastCheckNanos = now;
    }
}
