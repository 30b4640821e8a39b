package io.actionlog.journal;

import io.actionlog.files.AtomicFiles;
import io.actionlog.files.CutAside;

import net.openhft.chronicle.queue.impl.TableStore;
import net.openhft.chronicle.queue.impl.single.SCQMeta;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.queue.impl.table.AbstractTSQueueLock;
import net.openhft.chronicle.queue.impl.table.Metadata;
import net.openhft.chronicle.queue.impl.table.SingleTableBuilder;
import net.openhft.chronicle.threads.BusyTimedPauser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Brings a journal directory back to a state Chronicle opens cleanly, before the queue is built. Runs with the
 * {@link DirectoryLock} held, so nothing else writes the files. Three repairs, each logged:
 * <ol>
 * <li><b>Metadata</b> ({@code metadata.cq4t}: the write lock and the cycle listing). Missing or empty: left to
 * Chronicle, which rebuilds it from the cycle files. Unreadable: moved aside to {@code metadata.cq4t.corrupt-<ms>}
 * so Chronicle rebuilds it (it would otherwise fall back to read-only). A write lock still held by a killed
 * writer is released at once: Chronicle would wait up to 15 s, and gives up when the dead writer's pid was
 * reused (pid 1 in a restarted container).</li>
 * <li><b>Torn or garbage tail</b> of the last cycle file: the file is walked header by header (Chronicle's
 * framing: a 4-byte little-endian header, bit 31 "not complete", bit 30 "metadata", 30 bits of length, documents
 * 4-byte aligned, 0 = no more data). The walk stops at the first header that is zero, incomplete (a writer died
 * inside it) or whose length runs past the end of the file. Any non-zero byte after that point is a torn entry
 * or garbage; the file is truncated there, Chronicle regrows it on the next append. Nothing complete is dropped,
 * so nothing acknowledged is: an entry is acknowledged only after its header was completed.</li>
 * <li><b>A last cycle file without a store header</b> (empty, zeros, or an incomplete first header: killed while
 * creating it) holds no entries: moved aside to {@code <name>.corrupt-<ms>}. Chronicle would wait 10 s for a
 * header to appear, twice.</li>
 * </ol>
 * A complete document whose payload does not decode is not touched here: it keeps its position and
 * {@link ChronicleJournal#replay} reports and skips it.
 *
 * <p>The walk of the last cycle file reads the whole file (a day of 10 million actions is 1.4 GB, most of a second).
 * A clean close leaves a {@link #CHECKED_TAIL_FILE} record of where that file's complete documents end, written
 * after the file is forced to disk; the next open takes the record away and, if the file still has the size and
 * modification time the record gives, walks on from there, not from the start. Anything after that point is checked
 * as always. After a crash there is no record, so the whole file is walked.
 */
final class JournalRecovery {

    static final String METADATA_FILE = "metadata.cq4t";
    static final String CYCLE_SUFFIX = ".cq4";

    private static final Logger LOG = Logger.getLogger(JournalRecovery.class.getName());
    /** A header of Chronicle's end-of-file marker: not complete and metadata, of no length. */
    private static final int END_OF_DATA = CycleLayout.NOT_COMPLETE | CycleLayout.METADATA;
    private static final byte[] SEAL_TEXT = {(byte) 0xC3, 'E', 'O', 'F'};
    private static final int WINDOW = 4 << 20;

    static final String CHECKED_TAIL_FILE = "checked-tail";

    /**
     * What the recovery did; all zero/false on a clean directory. {@code tailCheckedFrom} is where the walk of the
     * last cycle file began (0: its start); {@code lastCycleFile} and {@code lastCycleEnd} name that file and where
     * its complete documents end (null and 0 when there is none), {@code lastCycleEntries} how many entries it holds
     * (-1: not known, when the walk began at a clean close's record).
     */
    record Outcome(long droppedTailBytes, boolean metadataMovedAside, int staleLocksReleased, boolean cycleFileMovedAside,
                   long tailCheckedFrom, String lastCycleFile, long lastCycleEnd, long lastCycleEntries) {
    }

    /** The record of a clean close: the last cycle file by name, its size and modification time, its data's end. */
    record CheckedTail(String cycleFile, long size, long modifiedNanos, long end) {

        /** Whether {@code file} is the file recorded, unchanged since. */
        boolean matches(Path file) throws IOException {
            return file.getFileName().toString().equals(cycleFile) && Files.size(file) == size
                    && modifiedTime(file) == modifiedNanos;
        }

        String text() {
            return cycleFile + " " + size + " " + modifiedNanos + " " + end + "\n";
        }

        /** The record in {@code text}, or null if it is not one. */
        static CheckedTail parse(String text) {
            String[] parts = text.strip().split(" ");
            if (parts.length != 4 || !parts[0].endsWith(CYCLE_SUFFIX)) {
                return null;
            }
            try {
                CheckedTail t = new CheckedTail(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Long.parseLong(parts[3]));
                return t.end > 0 && t.end <= t.size ? t : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private JournalRecovery() {
    }

    static Outcome run(Path dir) {
        try {
            boolean metadataMoved = false;
            int locks = 0;
            Path metadata = dir.resolve(METADATA_FILE);
            if (Files.exists(metadata) && Files.size(metadata) > 0) {
                locks = releaseStaleLocks(metadata);
                metadataMoved = locks < 0;
            }
            CheckedTail checked = takeCheckedTail(dir);
            Optional<Path> last = lastCycleFile(dir);
            Tail tail = new Tail(0, 0, 0);
            long from = 0;
            if (last.isPresent()) {
                from = checked != null && checked.matches(last.get()) ? checked.end() : 0;
                tail = checkTail(last.get(), from);
            }
            boolean cycleMoved = tail.dropped() < 0;
            // Set aside, the file's end is not known; a close then checks whichever file is last from its start.
            String lastName = last.isEmpty() || cycleMoved ? null : last.get().getFileName().toString();
            return new Outcome(Math.max(tail.dropped(), 0), metadataMoved, Math.max(locks, 0), cycleMoved, from,
                    lastName, cycleMoved ? 0 : tail.end(), from == 0 && !cycleMoved ? tail.entries() : -1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the journal in " + dir + ": " + e, e);
        }
    }

    /**
     * What {@link #run} would mend in the last cycle file, found without writing anything (for {@code verify}):
     * {@code damage} describes it (null: nothing), and the file's name, end and entries are as {@link Outcome}'s.
     * The whole file is walked: a record of a clean close is not trusted here.
     */
    record Inspection(String damage, String lastCycleFile, long lastCycleEnd, long lastCycleEntries) {
    }

    static Inspection inspect(Path dir) {
        try {
            Optional<Path> last = lastCycleFile(dir);
            if (last.isEmpty()) {
                return new Inspection(null, null, 0, 0);
            }
            try (FileChannel channel = FileChannel.open(last.get(), StandardOpenOption.READ)) {
                long size = channel.size();
                Walk walk = walk(channel, size, 0);
                String name = last.get().getFileName().toString();
                if (walk.end() == 0) {
                    return new Inspection("cycle file " + last.get() + " (" + size + " bytes) has no store header, "
                            + "so no entries (a server killed while creating it, or damage)", name, 0, 0);
                }
                long junk = firstNonZeroAfter(channel, walk.end(), size);
                String damage = junk < 0 ? null : "cycle file " + last.get() + ": its complete entries end at offset "
                        + walk.end() + ", and the bytes from offset " + junk + " to its end (" + size + " bytes) are "
                        + "not entries: a write torn by a crash, or damage (a changed entry header cuts the chain of "
                        + "entries there)";
                return new Inspection(damage, name, walk.end(), walk.entries());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dir + ": " + e, e);
        }
    }

    /**
     * Why {@code metadata.cq4t} in {@code dir} does not read (missing and empty included), or null when it reads;
     * reads only. A server start rebuilds such a file (moving an unreadable one aside); read only, Chronicle lists
     * the cycle files without it.
     */
    static String unreadableMetadata(Path dir) {
        Path metadata = dir.resolve(METADATA_FILE);
        try {
            if (!Files.exists(metadata)) {
                return "it is missing";
            }
            if (Files.size(metadata) == 0) {
                return "it is empty";
            }
            // Without its first header Chronicle would wait for another process to write one, 10 s at a time.
            try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.READ)) {
                ByteBuffer first = ByteBuffer.allocate(4);
                channel.read(first, 0);
                if (first.position() < 4 || first.getInt(0) == 0) {
                    return "it has no header";
                }
            }
        } catch (IOException e) {
            return e.toString();
        }
        SingleChronicleQueueBuilder.addAliases();
        try (TableStore<?> store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE).readOnly(true)
                .build()) {
            return store.metadata() instanceof SCQMeta ? null : "its header holds no queue metadata";
        } catch (RuntimeException e) {
            // Chronicle wraps the cause in layers, each message with a hex dump of the file: the innermost's first
            // line says what failed.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
            return root.getClass().getSimpleName() + message;
        }
    }

    /** Returns how many locks were released, or -1 if the file was unreadable and moved aside. */
    private static int releaseStaleLocks(Path metadata) throws IOException {
        SingleChronicleQueueBuilder.addAliases(); // the table names its classes by alias
        TableStore<?> store;
        String unreadable = null;
        try {
            store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE).readOnly(false).build();
            // A file whose header is gone opens as a table of no queue's metadata, which the queue then refuses.
            if (!(store.metadata() instanceof SCQMeta)) {
                store.close();
                store = null;
                unreadable = "its header holds no queue metadata";
            }
        } catch (RuntimeException e) {
            store = null;
            unreadable = e.toString();
        }
        if (store == null) {
            Path aside = moveAside(metadata);
            LOG.warning("journal metadata " + metadata + " is unreadable (" + unreadable + "); moved to " + aside
                    + ", Chronicle rebuilds it from the cycle files");
            return -1;
        }
        try {
            return release(new TableStoreWriteLock(store, BusyTimedPauser::new, 0L), metadata)
                    + release(new TableStoreWriteLock(store, BusyTimedPauser::new, 0L,
                    TableStoreWriteLock.APPEND_LOCK_KEY), metadata);
        } finally {
            store.close();
        }
    }

    private static int release(TableStoreWriteLock lock, Path metadata) {
        try {
            long holder = lock.lockedBy();
            if (holder == AbstractTSQueueLock.UNLOCKED) {
                return 0;
            }
            lock.forceUnlock();
            LOG.warning("released a Chronicle lock in " + metadata + " left by writer pid " + holder
                    + " (killed while appending?)");
            return 1;
        } finally {
            lock.close();
        }
    }

    /** Cycle file names are timestamps in a fixed-width pattern, so the greatest name is the newest cycle. */
    static Optional<Path> lastCycleFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(CYCLE_SUFFIX))
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        }
    }

    /** The bytes cut from the end of a cycle file (-1: the whole file was moved aside) and where its data ends. */
    private record Tail(long dropped, long end, long entries) {
    }

    /** Walks the last cycle file from {@code from}, the start of a document (0: the file's start), and repairs it. */
    private static Tail checkTail(Path file, long from) throws IOException {
        long size;
        long end;
        long entries;
        long firstJunk;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            size = channel.size();
            Walk walk = walk(channel, size, Math.min(from, size));
            end = walk.end();
            entries = walk.entries();
            firstJunk = end == 0 ? 0 : firstNonZeroAfter(channel, end, size);
            if (firstJunk > 0) {
                Path aside = file.resolveSibling(file.getFileName() + ".cut-" + System.currentTimeMillis());
                long kept = CutAside.keep(channel, end, size, aside);
                channel.truncate(end);
                channel.force(true);
                LOG.warning("journal tail of " + file + ": truncated at offset " + end + ", after the last complete "
                        + "entry; non-zero bytes from offset " + firstJunk + " on were a torn write or garbage (the "
                        + "file had " + size + " bytes)" + (kept > 0 ? "; the " + kept + " bytes cut are kept in "
                        + aside + " (after a crash, a torn write; if the server did not crash, damage: keep them)" : ""));
                return new Tail(size - end, end, entries);
            }
        }
        if (end > 0) {
            return new Tail(0, end, entries);
        }
        // Chronicle would wait for another process to write the header, then give up after its timeout.
        Path aside = moveAside(file);
        LOG.warning("cycle file " + file + " (" + size + " bytes) has no store header (killed while creating it?) "
                + "and so no entries; moved to " + aside);
        return new Tail(-1, 0, 0);
    }

    /**
     * The offset just after the last complete document (or end-of-file marker, with its text) that lies wholly inside
     * the file, walking from {@code from}, the start of a document.
     */
    static long endOfCompleteDocuments(FileChannel channel, long size, long from) throws IOException {
        return walk(channel, size, from).end();
    }

    /**
     * Where the complete documents walked from {@code from} end, how many of them are entries, and whether the walk
     * ended at Chronicle's seal (the file was finished and never changes again).
     */
    record Walk(long end, long entries, boolean sealed) {
    }

    /** As {@link #endOfCompleteDocuments}, counting the entries (the documents that are not Chronicle's metadata). */
    static Walk walk(FileChannel channel, long size, long from) throws IOException {
        // Read, not mapped: faulting in a mapping page by page took three times as long as copying the file in.
        return walk(channel, size, from, ByteBuffer.allocateDirect(WINDOW));
    }

    /** As {@link #walk(FileChannel, long, long)}, reading through {@code window} (at least 4 bytes), which it reuses. */
    static Walk walk(FileChannel channel, long size, long from, ByteBuffer window) throws IOException {
        window.order(ByteOrder.LITTLE_ENDIAN);
        long windowStart = from;
        window.limit(0);
        long pos = from;
        long entries = 0;
        while (pos + 4 <= size) {
            if (pos + 4 > windowStart + window.limit()) {
                windowStart = pos;
                window.clear();
                while (window.position() < 4 && channel.read(window, pos + window.position()) > 0) {
                    // a short read near the end of the file: read again until the header is in
                }
                window.flip();
                if (window.limit() < 4) {
                    return new Walk(pos, entries, false);
                }
            }
            int header = window.getInt((int) (pos - windowStart));
            if (header == END_OF_DATA) {
                // Chronicle seals a cycle file with this header and, after it, "EOF" as binary wire text.
                return new Walk(pos + 4 + (sealText(channel, pos + 4, size) ? SEAL_TEXT.length : 0), entries, true);
            }
            if (header == 0 || (header & CycleLayout.NOT_COMPLETE) != 0) {
                return new Walk(pos, entries, false);
            }
            long next = CycleLayout.endOf(pos, header);
            if (next > size) {
                return new Walk(pos, entries, false);
            }
            if ((header & CycleLayout.METADATA) == 0) {
                entries++;
            }
            pos = next;
        }
        return new Walk(pos, entries, false);
    }

    private static boolean sealText(FileChannel channel, long at, long size) throws IOException {
        if (at + SEAL_TEXT.length > size) {
            return false;
        }
        ByteBuffer text = ByteBuffer.allocate(SEAL_TEXT.length);
        while (text.hasRemaining() && channel.read(text, at + text.position()) > 0) {
            // a short read: read on
        }
        return !text.hasRemaining() && java.util.Arrays.equals(text.array(), SEAL_TEXT);
    }

    /** The offset of the first non-zero byte in [from, size), or -1. Holes of a sparse file read fast. */
    static long firstNonZeroAfter(FileChannel channel, long from, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        for (long pos = from; pos < size; ) {
            buffer.clear();
            int read = channel.read(buffer, pos);
            if (read <= 0) {
                break;
            }
            int i = 0;
            while (i + 8 <= read && buffer.getLong(i) == 0) {
                i += 8;
            }
            for (; i < read; i++) {
                if (buffer.get(i) != 0) {
                    return pos + i;
                }
            }
            pos += read;
        }
        return -1;
    }

    /** Reads and removes the record of the last clean close; null if there is none or it is not readable. */
    private static CheckedTail takeCheckedTail(Path dir) throws IOException {
        Path record = dir.resolve(CHECKED_TAIL_FILE);
        if (!Files.exists(record)) {
            return null;
        }
        String text;
        try {
            text = Files.readString(record, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            text = "";
        }
        // Removed before the journal opens: should this process die, the next open walks the whole file again.
        Files.delete(record);
        CheckedTail checked = CheckedTail.parse(text);
        if (checked == null) {
            LOG.warning("ignored an unreadable " + record + "; the last cycle file is checked from its start");
        }
        return checked;
    }

    /**
     * At a clean close, with the queue closed: forces the last cycle file to disk and records where its complete
     * documents end, walking from where this process found them to end at open (or from the start of a file it
     * began). What lies after that end is not looked at here: the next open checks it, record or not.
     */
    static void recordCheckedTail(Path dir, String openedFile, long openedEnd) throws IOException {
        Optional<Path> last = lastCycleFile(dir);
        if (last.isEmpty()) {
            return;
        }
        Path file = last.get();
        long from = file.getFileName().toString().equals(openedFile) ? openedEnd : 0;
        long size;
        long end;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            end = endOfCompleteDocuments(channel, size, Math.min(from, size));
            if (end == 0) {
                return;
            }
            channel.force(true);
        }
        CheckedTail checked = new CheckedTail(file.getFileName().toString(), size, modifiedTime(file), end);
        AtomicFiles.replace(dir.resolve(CHECKED_TAIL_FILE),
                checked.text().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static long modifiedTime(Path file) throws IOException {
        return Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Path moveAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        return Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    }
}
