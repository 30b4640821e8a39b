package io.actionlog.journal;

import io.actionlog.files.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Chronicle creates its files with the process umask and cannot be told a mode, so their group and other
 * permissions are taken away (see {@link OwnerOnly}): every file of the journal directory when it opens, and each
 * new cycle file by the writer thread right after the first entry lands in it, before that entry is acknowledged.
 */
final class PrivateCycleFiles {
    private static final Logger LOG = Logger.getLogger(PrivateCycleFiles.class.getName());

    private PrivateCycleFiles() {
    }

    /** A cycle file the writer has just started; a failure is a warning, since the entry is written already. */
    static void restrict(File cycleFile) {
        if (cycleFile == null) {
            return;
        }
        try {
            OwnerOnly.restrict(cycleFile.toPath());
        } catch (IOException e) {
            LOG.warning("journal file " + cycleFile + " keeps its permissions: " + e.getMessage());
        }
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
