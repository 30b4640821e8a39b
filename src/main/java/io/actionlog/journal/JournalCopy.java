package io.actionlog.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.bytes.SyncMode;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The cycle files of a copy of the journal's first {@code size} entries, made while the writer goes on: what a
 * backup sends. A cycle file that the writer has left for a later one never changes again, so it is used as it is,
 * up to the end of its data (Chronicle grows files sparsely in 64 MiB chunks, so a file's size runs far ahead of
 * its data, and a backup need not carry the zeros). The file still being written cannot be sent as
 * it is: its header and index already count the entries after the copy's size, and Chronicle trusts them. So its
 * bytes up to the end of the copy's last entry are copied to a file of the same name in a scratch directory, with
 * the header and index patched to end there ({@link CycleFileCut}), and Chronicle opens the copy to check that it
 * counts the entries it should and ends with the right one. Should either fail (a file of another layout), the
 * entries are appended again, document by document, to a new file of the same cycle, which takes ten times as long.
 *
 * <p>Made on one thread (it reads with tailers of its own); {@link #close} removes the scratch files. The files it
 * names are read-only to the caller.
 */
public final class JournalCopy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JournalCopy.class.getName());

    /** A cycle file of the copy: its name in a journal directory, where its bytes are, and how many of them. */
    public record CopiedFile(String name, Path path, long length) {
    }

    private final Path scratch;
    private final List<CopiedFile> files;

    private JournalCopy(Path scratch, List<CopiedFile> files) {
        this.scratch = scratch;
        this.files = List.copyOf(files);
    }

    /**
     * This copy with retention's head file ({@link JournalHead}) first, copied into the scratch directory now: a
     * drop may replace it while the backup is sent, and the copied cycle files need the head they were cut with. A
     * drop writes its head a moment before the journal starts where it says: a head that names another start than
     * {@code first}, the one the copy was made with, fails it as a read that the drop overtook.
     */
    JournalCopy withHead(Path head, long first) {
        try {
            Path copied = scratch.resolve(JournalHead.FILE);
            OwnerOnly.createDirectories(scratch);
            Files.copy(head, copied, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            long named = JournalHead.firstPosition(copied);
            if (named != first) {
                throw new PositionDroppedException(first, named);
            }
            List<CopiedFile> all = new ArrayList<>();
            all.add(new CopiedFile(JournalHead.FILE, copied, Files.size(copied)));
            all.addAll(files);
            return new JournalCopy(scratch, all);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot copy the journal's head file: " + e, io)
                    : (RuntimeException) e;
        }
    }

    /** Cycle files in journal order. */
    public List<CopiedFile> files() {
        return files;
    }

    static JournalCopy make(SingleChronicleQueue queue, CycleTable table, long size, long since, Path scratch) {
        List<CopiedFile> files = new ArrayList<>();
        try (DocumentReader reader = new DocumentReader(queue.createTailer());
             ExcerptTailer locator = queue.createTailer()) {
            for (int run = 0; run < table.runs() && table.firstPosition(run) < size; run++) {
                long end = Math.min(table.endOf(run), size);
                if (end <= since) {
                    continue;
                }
                if (!locator.moveToIndex(table.firstIndex(run))) {
                    throw new IllegalStateException("the journal has no entry at Chronicle index 0x"
                            + Long.toHexString(table.firstIndex(run)));
                }
                Path file = locator.currentFile().toPath();
                files.add(table.endOf(run) <= size ? linked(file, scratch)
                        : cut(queue, table, run, end, reader, file, scratch));
            }
        } catch (IOException | RuntimeException e) {
            // A copy that failed part-way (a drop deleting a file it was linking) leaves no links for the next try.
            new JournalCopy(scratch, List.of()).close();
            throw e instanceof IOException io ? new UncheckedIOException("cannot copy the journal: " + e, io)
                    : (RuntimeException) e;
        }
        return new JournalCopy(scratch, files);
    }

    /**
     * A closed cycle file, hard-linked into the scratch directory: retention may delete the journal's name for it
     * while the backup is still being sent, and the link keeps its bytes until the copy is closed. Where the link
     * cannot be made (the journal on another file system), the journal's own file is named.
     */
    private static CopiedFile linked(Path file, Path scratch) throws IOException {
        CopiedFile closed = closed(file);
        OwnerOnly.createDirectories(scratch);
        Path link = scratch.resolve(closed.name());
        try {
            Files.createLink(link, file);
        } catch (UnsupportedOperationException | IOException e) {
            LOG.warning("cannot link " + file + " into " + scratch + " (" + e + "); the backup reads it in place, and "
                    + "fails should retention drop it first");
            return closed;
        }
        return new CopiedFile(closed.name(), link, closed.length());
    }

    private static CopiedFile closed(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new CopiedFile(file.getFileName().toString(), file,
                    JournalRecovery.endOfCompleteDocuments(channel, channel.size(), 0));
        }
    }

    /** The entries of {@code run} below {@code end}, as a copy of the file's bytes cut after them (see the class doc). */
    private static CopiedFile cut(SingleChronicleQueue queue, CycleTable table, int run, long end,
                                  DocumentReader reader, Path file, Path scratch) throws IOException {
        OwnerOnly.createDirectories(scratch);
        String name = file.getFileName().toString();
        Path copy = scratch.resolve(name);
        long n = end - table.firstPosition(run);
        long length = CycleFileCut.copy(file, n, copy);
        if (length > 0 && holds(copy, table.firstIndex(run), n, reader)) {
            return new CopiedFile(name, copy, length);
        }
        LOG.warning("the cut copy of " + file + " did not check out; appending its " + n + " entries again instead");
        Files.deleteIfExists(copy);
        return appendedAgain(queue, table, run, end, reader, name, scratch);
    }

    /**
     * Whether Chronicle, opening the copy, counts {@code n} entries from {@code firstIndex} and finds the same last
     * entry as {@code reader} in the journal.
     */
    private static boolean holds(Path copy, long firstIndex, long n, DocumentReader reader) {
        long lastIndex = firstIndex + n - 1;
        int cycle = ChronicleJournal.ROLL_CYCLE.toCycle(firstIndex);
        long cycleMillis = (long) cycle * ChronicleJournal.ROLL_CYCLE.lengthInMillis();
        // Tailers only: nothing is written to the copy (a read-only queue would want a metadata file first). Its
        // clock stands in the copy's day, so Chronicle takes the copy for the file still being written.
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(copy.getParent())
                .rollCycle(ChronicleJournal.ROLL_CYCLE).timeProvider(() -> cycleMillis).build();
             DocumentReader copied = new DocumentReader(queue.createTailer())) {
            try (ExcerptTailer counter = queue.createTailer()) {
                if (counter.excerptsInCycle(cycle) != n) {
                    return false;
                }
            }
            return reader.readAt(lastIndex) && copied.readAt(lastIndex) && copied.sameDocument(reader)
                    && !copied.readNext(lastIndex + 1);
        } catch (RuntimeException e) {
            LOG.warning("Chronicle could not open the cut copy " + copy + ": " + e);
            return false;
        }
    }

    /** The entries of {@code run} below {@code end}, appended to a new file of the run's cycle in {@code scratch}. */
    private static CopiedFile appendedAgain(SingleChronicleQueue queue, CycleTable table, int run, long end,
                                            DocumentReader reader, String name, Path scratch) throws IOException {
        OwnerOnly.createDirectories(scratch);
        int cycle = queue.rollCycle().toCycle(table.firstIndex(run));
        long cycleMillis = (long) cycle * queue.rollCycle().lengthInMillis();
        try (SingleChronicleQueue copy = SingleChronicleQueueBuilder.binary(scratch)
                .rollCycle(ChronicleJournal.ROLL_CYCLE)
                .indexSpacing(ChronicleJournal.INDEX_SPACING)
                .indexCount(ChronicleJournal.INDEX_COUNT)
                .syncMode(SyncMode.NONE)
                .timeProvider(() -> cycleMillis)
                .build();
             ExcerptAppender appender = copy.createAppender()) {
            long index = table.firstIndex(run);
            for (long position = table.firstPosition(run); position < end; position++, index++) {
                if (!reader.readAt(index)) {
                    throw new IllegalStateException("the journal has no entry at position " + position);
                }
                reader.appendTo(appender);
            }
        }
        return closed(scratch.resolve(name));
    }

    /** Removes the scratch directory and what the copy wrote there. */
    @Override
    public void close() {
        if (!Files.exists(scratch)) {
            return;
        }
        try (Stream<Path> all = Files.walk(scratch)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + scratch + ": " + e, e);
        }
    }
}
