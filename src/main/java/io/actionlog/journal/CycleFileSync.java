package io.actionlog.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@link Durability#OS}: remembers which cycle files the writer wrote since the last sync and forces them to the
 * device, plus the directory when a new cycle file appeared (its name must survive a power loss too).
 *
 * <p>Why fdatasync of the whole file rather than Chronicle's {@code appender.sync()} (an msync from the last synced
 * page to the write position of the current chunk, with the queue's SyncMode): that misses pages written elsewhere
 * in the file (the store header, index arrays), a chunk the batch left behind, the end-of-file marker of a cycle
 * left at a roll, and the directory entry of a new cycle file. On Linux, fsync/fdatasync of a file writes back
 * every dirty page of its page cache, including pages dirtied through a shared mapping, which is exactly what
 * msync(MS_SYNC) would do for the mapped range. Writer thread only.
 */
final class CycleFileSync {

    /** How a file or directory reaches the device; tests wrap it to observe the calls. */
    interface Forcer {
        void force(Path path, boolean directory) throws IOException;
    }

    static final Forcer FSYNC = (path, directory) -> {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(directory); // fdatasync for a file (data and size), fsync for a directory
        }
    };

    private final Path dir;
    private final Forcer forcer;
    private final Set<File> dirtyFiles = new LinkedHashSet<>();
    private boolean directoryDirty;

    CycleFileSync(Path dir, Forcer forcer) {
        this.dir = dir;
        this.forcer = forcer;
    }

    /** The writer appended to {@code cycleFile}; {@code newFile} when it is the first entry there. */
    void written(File cycleFile, boolean newFile) {
        if (cycleFile != null) {
            dirtyFiles.add(cycleFile);
        }
        directoryDirty |= newFile;
    }

    void sync() {
        try {
            for (File file : dirtyFiles) {
                forcer.force(file.toPath(), false);
            }
            if (directoryDirty) {
                forcer.force(dir, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not force the journal in " + dir + " to the device: " + e, e);
        }
        dirtyFiles.clear();
        directoryDirty = false;
    }
}
