package io.actionlog.server;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The data directory, held for the life of one server by an exclusive lock on {@code <data>/server.lock}, so a
 * second server on the same directory stops at once with a clear message instead of sharing the journal.
 */
public final class DataDir implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DataDir.class.getName());

    private static final String SCRATCH = "tmp";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDir(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the directory when there is none, and logs that it did. */
    public static DataDir claim(Path dir) throws IOException {
        try {
            if (!Files.isDirectory(dir)) {
                OwnerOnly.createDirectories(dir);
                LOG.info("created data directory " + dir.toAbsolutePath().normalize());
            }
        } catch (AccessDeniedException e) {
            throw new IOException("data directory " + dir + " cannot be created: permission denied");
        } catch (FileAlreadyExistsException e) {
            throw new IOException("data directory " + dir + " is not a directory (a file of that name is in the way)");
        } catch (FileSystemException e) {
            throw new IOException("data directory " + dir + " cannot be created: " + e.getReason());
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("data directory " + dir + " is not writable (permissions, a read-only file system, "
                    + "or an immutable directory)");
        }
        if (OwnerOnly.opensToOthers(dir)) {
            LOG.warning("data directory " + dir + " can be read by other users; recorded bodies and addresses are "
                    + "personal data: chmod 700 it");
        }
        DataDir claimed = lock(dir);
        claimed.writeHolder();
        claimed.removeScratch();
        return claimed;
    }

    /**
     * Fails naming the directory when it exists but this user may not list or enter it: every file in it would
     * otherwise look missing, and a command would say there is no journal or no credentials there.
     */
    public static void requireEnterable(Path dir) throws AccessDeniedException {
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
            throw new AccessDeniedException(dir.toString());
        }
    }

    /**
     * Takes the directory's lock as {@link #claim} does, for {@code verify}, which leaves the directory as it found
     * it: nothing is created and the scratch files a stopped backup left stay (they may be evidence too).
     */
    public static DataDir claimToRead(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("data directory " + dir + " is not a directory");
        }
        return lock(dir);
    }

    private static DataDir lock(Path dir) throws IOException {
        FileChannel channel = OwnerOnly.openLockFile(dir.resolve("server.lock"));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dir + " is in use by another actionlog server" + holder(dir));
        }
        return new DataDir(dir, channel, lock);
    }

    /**
     * Who holds the lock, for the message the next one gets (the lock goes with the process, the text stays).
     * Not by {@link #claimToRead}, which changes nothing.
     */
    private void writeHolder() throws IOException {
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
    }

    /** " (process N)" as the holder wrote it, or nothing when it cannot be read. */
    private static String holder(Path dir) {
        try {
            String text = Files.readString(dir.resolve("server.lock"), java.nio.charset.StandardCharsets.US_ASCII)
                    .strip();
            return text.matches("pid \\d{1,10}") ? " (process " + text.substring(4) + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    public Path path() {
        return dir;
    }

    /**
     * A new directory path of its own under {@code tmp/} for scratch files (a backup's copy of the cycle file being
     * written); the caller creates and removes it. Whatever a stopped server left there goes at the next start.
     */
    public Path scratch(String purpose) {
        return dir.resolve(SCRATCH).resolve(purpose + "-" + java.util.UUID.randomUUID());
    }

    private void removeScratch() throws IOException {
        Path scratch = dir.resolve(SCRATCH);
        if (!Files.exists(scratch)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(scratch)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        LOG.info("removed scratch files left in " + scratch);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
