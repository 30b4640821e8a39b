package io.actionlog.journal;

import net.openhft.chronicle.queue.impl.TableStore;
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
 */
final class JournalRecovery {

    static final String METADATA_FILE = "metadata.cq4t";
    static final String CYCLE_SUFFIX = ".cq4";

    private static final Logger LOG = Logger.getLogger(JournalRecovery.class.getName());
    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int END_OF_DATA = 0xC000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int WINDOW = 4 << 20;

    /** What the recovery did; all zero/false on a clean directory. */
    record Outcome(long droppedTailBytes, boolean metadataMovedAside, int staleLocksReleased, boolean cycleFileMovedAside) {
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
            Optional<Path> last = lastCycleFile(dir);
            long dropped = 0;
            boolean cycleMoved = false;
            if (last.isPresent()) {
                dropped = truncateTail(last.get());
                cycleMoved = dropped < 0;
            }
            return new Outcome(Math.max(dropped, 0), metadataMoved, Math.max(locks, 0), cycleMoved);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot recover the journal in " + dir + ": " + e, e);
        }
    }

    /** Returns how many locks were released, or -1 if the file was unreadable and moved aside. */
    private static int releaseStaleLocks(Path metadata) throws IOException {
        SingleChronicleQueueBuilder.addAliases(); // the table names its classes by alias
        TableStore<?> store;
        try {
            store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE).readOnly(false).build();
        } catch (RuntimeException e) {
            Path aside = moveAside(metadata);
            LOG.warning("journal metadata " + metadata + " is unreadable (" + e + "); moved to " + aside
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

    /** Returns the bytes cut from the end of the file, or -1 if the whole file was moved aside. */
    private static long truncateTail(Path file) throws IOException {
        long size;
        long end;
        long firstJunk;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            size = channel.size();
            end = endOfCompleteDocuments(channel, size);
            firstJunk = end == 0 ? 0 : firstNonZeroAfter(channel, end, size);
            if (firstJunk > 0) {
                channel.truncate(end);
                channel.force(true);
                LOG.warning("journal tail of " + file + ": truncated at offset " + end + ", after the last complete "
                        + "entry; non-zero bytes from offset " + firstJunk + " on were a torn write or garbage (the "
                        + "file had " + size + " bytes)");
                return size - end;
            }
        }
        if (end > 0) {
            return 0;
        }
        // Chronicle would wait for another process to write the header, then give up after its timeout.
        Path aside = moveAside(file);
        LOG.warning("cycle file " + file + " (" + size + " bytes) has no store header (killed while creating it?) "
                + "and so no entries; moved to " + aside);
        return -1;
    }

    /** The offset just after the last complete document (or end-of-file marker) that lies wholly inside the file. */
    static long endOfCompleteDocuments(FileChannel channel, long size) throws IOException {
        // Read, not mapped: faulting in a mapping page by page took three times as long as copying the file in.
        ByteBuffer window = ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        long windowStart = 0;
        window.limit(0);
        long pos = 0;
        while (pos + 4 <= size) {
            if (pos + 4 > windowStart + window.limit()) {
                windowStart = pos;
                window.clear();
                while (window.position() < 4 && channel.read(window, pos + window.position()) > 0) {
                    // a short read near the end of the file: read again until the header is in
                }
                window.flip();
                if (window.limit() < 4) {
                    return pos;
                }
            }
            int header = window.getInt((int) (pos - windowStart));
            if (header == END_OF_DATA) {
                return pos + 4;
            }
            if (header == 0 || (header & NOT_COMPLETE) != 0) {
                return pos;
            }
            long next = pos + 4 + (header & LENGTH_MASK);
            next += -next & 3;
            if (next > size) {
                return pos;
            }
            pos = next;
        }
        return pos;
    }

    /** The offset of the first non-zero byte in [from, size), or -1. Holes of a sparse file read fast. */
    private static long firstNonZeroAfter(FileChannel channel, long from, long size) throws IOException {
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

    private static Path moveAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        return Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    }
}
