package io.actionlog.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a closed journal's files and data end are, for tests elsewhere that damage them on purpose. */
public final class JournalFiles {
    public static final String METADATA_FILE = JournalRecovery.METADATA_FILE;

    private JournalFiles() {
    }

    public static Path lastCycleFile(Path journalDir) throws IOException {
        return JournalRecovery.lastCycleFile(journalDir).orElseThrow();
    }

    /** The offset just after the last complete document of a cycle file. */
    public static long dataEnd(Path cycleFile) throws IOException {
        try (FileChannel channel = FileChannel.open(cycleFile, StandardOpenOption.READ)) {
            return JournalRecovery.endOfCompleteDocuments(channel, channel.size(), 0);
        }
    }

    /** Where {@code needle} first occurs in {@code haystack} (a cycle file's bytes), or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        return Entries.indexOf(haystack, needle);
    }
}
