package io.actionlog.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Finds a cycle file cut short: one that ends before the last entry its store header names. Chronicle maps a
 * cycle file and reads past its end as a fault of the process (SIGBUS, "a fault occurred in a recent unsafe memory
 * access"), or finds no entry where its index says one is; either way what it says names no file. Checked from the
 * files' bytes before Chronicle opens them, it is said by name. A crash never makes a file shorter than that:
 * Chronicle sizes a file before it writes into it and names an entry in the store header once it is complete, and a
 * start's recovery cuts only what follows the last complete entry.
 */
final class CycleFileEnds {
    private CycleFileEnds() {
    }

    /** What is wrong with the first cycle file of {@code dir} cut short, or null when none is. */
    static String firstCutShort(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(CycleFileEnds::isCycleFile).sorted().toList()) {
                String problem = cutShort(file);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cycle files of " + dir + ": " + e, e);
        }
    }

    private static boolean isCycleFile(Path file) {
        return file.getFileName().toString().endsWith(JournalRecovery.CYCLE_SUFFIX) && Files.isRegularFile(file);
    }

    /** Null unless the file ends before the end of the last entry its store header names. */
    static String cutShort(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CycleLayout layout = new CycleLayout(channel);
            long last = layout.lastEntry();
            long size = layout.size();
            if (last <= 0) {
                return null; // no entry, or not the layout this reads: Chronicle's own open judges the header
            }
            if (last + 4 > size) {
                return message(file, size, last, -1);
            }
            int header = layout.intAt(last);
            long end = CycleLayout.endOf(last, header);
            return header != 0 && end > size ? message(file, size, last, end) : null;
        }
    }

    /**
     * Null unless a cycle file that is not the last holds non-zero bytes past its last entry and the documents
     * Chronicle writes after it (an index, the end-of-file seal): no server writes there, and none reads there, so
     * such bytes hide in the journal unseen (added, or damage). The last file is the start's recovery's to judge.
     */
    static String bytesAfterEntries(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long last = new CycleLayout(channel).lastEntry();
            long size = channel.size();
            if (last <= 0 || last + 4 > size) {
                return null;
            }
            long end = JournalRecovery.walk(channel, size, last).end();
            long junk = end <= last ? -1 : JournalRecovery.firstNonZeroAfter(channel, end, size);
            return junk < 0 ? null : "cycle file " + file + ": the bytes from offset " + junk + " to its end ("
                    + size + " bytes) are not entries, though it is not the last file: its last entry is at offset "
                    + last + " and Chronicle's documents after it end at " + end + "; no server writes or reads there "
                    + "(bytes added, or damage)";
        }
    }

    private static String message(Path file, long size, long last, long end) {
        return "cycle file " + file + " is cut short: it is " + size + " bytes, but its store header puts its last "
                + "entry at offset " + last + (end < 0 ? "" : ", ending at " + end)
                + ", so the entries recorded past offset " + size + " are lost (a file truncated or copied in part)";
    }
}
