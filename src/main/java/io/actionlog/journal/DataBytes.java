package io.actionlog.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bytes of data in a journal directory's cycle files: each file up to the end of its complete documents, what
 * {@code retention.max_journal_bytes} counts. Not the files' sizes: Chronicle allocates a file ahead of its data
 * (80 MiB for a first entry), sparsely. Each file's end is kept, and the next measure walks on from there, so after
 * the first it costs the documents written since (a file only ever grows, and a dropped one is forgotten).
 */
final class DataBytes {
    private final Path dir;
    private final Map<Path, Long> ends = new HashMap<>();

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
        ends.keySet().retainAll(files);
        long total = 0;
        for (Path file : files) {
            total += end(file);
        }
        return total;
    }

    private long end(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            long end = JournalRecovery.endOfCompleteDocuments(channel, channel.size(), ends.getOrDefault(file, 0L));
            ends.put(file, end);
            return end;
        } catch (NoSuchFileException e) {
            ends.remove(file); // dropped by retention while listing
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + file + ": " + e, e);
        }
    }
}
