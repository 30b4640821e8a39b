package io.actionlog.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The bytes of data in a journal directory's cycle files: each file up to the end of its complete documents, what
 * {@code retention.max_journal_bytes} counts. Not the files' sizes: Chronicle allocates a file ahead of its data
 * (80 MiB for a first entry), sparsely. Each file's end is kept and the next measure walks on from there; a file
 * Chronicle sealed (the journal moved on to the next day) is never read again. So after the first, a measure
 * reads what was written since, through one buffer of its own, however many day files the journal holds.
 */
final class DataBytes {
    private static final int WINDOW = 256 << 10;

    private final Path dir;
    private final Map<Path, Long> ends = new HashMap<>();
    private final Set<Path> sealed = new HashSet<>();
    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW);
    /** Files the last measure read: what it cost. */
    private int read;

    DataBytes(Path dir) {
        this.dir = dir;
    }

    synchronized long measure() {
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(JournalRecovery.CYCLE_SUFFIX)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
        // Files retention dropped are forgotten.
        ends.keySet().retainAll(files);
        sealed.retainAll(files);
        long total = 0;
        read = 0;
        for (Path file : files) {
            total += endOf(file);
        }
        return total;
    }

    /** The end of one file's complete documents, read on from where the last measure of it ended. */
    synchronized long endOf(Path file) {
        if (!sealed.contains(file)) {
            walk(file);
            read++;
        }
        return ends.getOrDefault(file, 0L);
    }

    synchronized int filesRead() {
        return read;
    }

    private void walk(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            JournalRecovery.Walk walk = JournalRecovery.walk(channel, channel.size(), ends.getOrDefault(file, 0L),
                    window);
            ends.put(file, walk.end());
            if (walk.sealed()) {
                sealed.add(file);
            }
        } catch (NoSuchFileException e) {
            ends.remove(file); // dropped by retention while listing
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + file + ": " + e, e);
        }
    }
}
