package io.actionlog.journal;

import io.actionlog.files.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Chronicle creates its cycle files with the process umask and cannot be told a mode, so each file it acquires
 * has its group and other permissions taken away once (see {@link OwnerOnly}). Called on the thread that acquires
 * the file: the writer when a new day starts, a reader when it opens an older day.
 */
final class PrivateCycleFiles implements net.openhft.chronicle.queue.impl.StoreFileListener {
    private static final Logger LOG = Logger.getLogger(PrivateCycleFiles.class.getName());

    /** One cycle a day: this holds a number a day the server has touched, a few kilobytes a decade. */
    private final Set<Integer> done = ConcurrentHashMap.newKeySet();

    @Override
    public void onAcquired(int cycle, File file) {
        if (done.add(cycle)) {
            try {
                OwnerOnly.restrict(file.toPath());
            } catch (IOException e) {
                done.remove(cycle);
                LOG.warning("journal file " + file + " keeps its permissions: " + e.getMessage());
            }
        }
    }

    @Override
    public void onReleased(int cycle, File file) {
        // nothing to undo
    }

    /** Every file in the journal directory, for those made before this was in place and Chronicle's metadata. */
    static void restrictAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                OwnerOnly.restrict(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the permissions of the journal files in " + dir, e);
        }
    }
}
