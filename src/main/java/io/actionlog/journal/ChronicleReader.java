package io.actionlog.journal;

import it.unimi.dsi.fastutil.ints.Int2ObjectLinkedOpenHashMap;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The read side of {@link ChronicleJournal}: the scan of the cycles at open, random reads from any thread, and
 * replay.
 *
 * <p>Chronicle tailers are confined to the thread that uses them, so every reading thread gets its own. It gets one
 * per run of the {@link CycleTable} (one per daily cycle file) it reads from, because a tailer that moves to another
 * cycle rebuilds its store from the file header, which costs some 20 us where a read within a cycle costs 1-2 us.
 * A thread keeps its {@link #TAILERS_PER_THREAD} most recently used; all are registered so {@link #close} closes
 * them. Replay uses a tailer of its own that walks the cycles in order.
 */
final class ChronicleReader implements AutoCloseable {

    static final int TAILERS_PER_THREAD = 32;
    /** Corrupt entries a walk names in the log, each; past them, only their count at its end. */
    static final int LOGGED_CORRUPT = 10;
    private static final Logger LOG = Logger.getLogger(ChronicleReader.class.getName());

    private final SingleChronicleQueue queue;
    private final Path dir;
    private final ValueTable values;
    private final Set<DocumentReader> open = ConcurrentHashMap.newKeySet();
    /** Every thread's readers, so that a drop can close those on dropped files at once (see {@link #dropped}). */
    private final Set<Readers> everyThread = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Readers> byRun = ThreadLocal.withInitial(() -> {
        Readers mine = new Readers();
        everyThread.add(mine);
        return mine;
    });
    /** Counts retention's drops: a thread's readers made before the last drop are closed at its next read. */
    private volatile int drops;
    private volatile boolean closed;

    /** Where each walk's check of the cycle files' indexes goes; null: the walks do not check them. */
    private final IndexAudit indexAudit;

    ChronicleReader(SingleChronicleQueue queue, Path dir, ValueTable values, IndexAudit indexAudit) {
        this.queue = queue;
        this.dir = dir;
        this.values = values;
        this.indexAudit = indexAudit;
    }

    /** The cycle table, the number of entries and the names of the cycle files walked, from the files on disk. */
    record Scan(CycleTable table, long size, Set<String> files) {
    }

    /**
     * Builds the cycle table: a run per cycle file with entries, each starting at sequence 0, the first at
     * {@code firstPosition} (0, or where retention left the journal starting).
     */
    Scan scanCycles(long firstPosition) {
        CycleTable table = CycleTable.EMPTY;
        long position = firstPosition;
        int cycle = queue.firstCycle();
        int lastListed = queue.lastCycle();
        Set<String> files = new HashSet<>();
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (cycle >= 0 && cycle != Integer.MAX_VALUE) {
                // A read-only queue steps on to a later file that its listing lacks, and counts no entries in it.
                if (cycle <= lastListed) {
                    files.add(ChronicleJournal.cycleFileName(cycle));
                }
                long count = tailer.excerptsInCycle(cycle);
                if (count > 0) {
                    table = table.withRun(position, queue.rollCycle().toIndex(cycle, 0));
                    position += count;
                }
                cycle = queue.nextCycle(cycle, TailerDirection.FORWARD);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot list the cycle files in " + dir + ": " + e, e);
        }
        return new Scan(table, position, files);
    }

    /** How many entries Chronicle counts in the file of {@code cycle} (from its store header and index). */
    long entriesIn(int cycle) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            return tailer.excerptsInCycle(cycle);
        }
    }

    Entry read(CycleTable table, long position) {
        return at(table, position).decode(position, values);
    }

    /** As {@link #read}, without decoding free texts. */
    Entry readLinks(CycleTable table, long position) {
        return at(table, position).decode(position, values, null, false);
    }

    /** False, leaving {@code into} as it was, when the entry is longer than {@code maxBytes}. */
    boolean readCreated(CycleTable table, long position, CreatedBytes into, int maxBytes) {
        DocumentReader reader = at(table, position);
        if (reader.length() > maxBytes) {
            return false;
        }
        reader.scanCreated(position, values, into);
        return true;
    }

    /**
     * This thread's reader for the position's cycle, holding a copy of the entry there. The copy is what the caller
     * decodes, so the thread's lock covers only the tailer's move and read, which a drop must not interleave with.
     */
    private DocumentReader at(CycleTable table, long position) {
        long index = table.indexOf(position);
        Readers mine = byRun.get();
        mine.lock.lock();
        try {
            DocumentReader reader = readerFor(mine, table.runOf(position));
            if (!reader.readAt(index)) {
                throw missing(position, index);
            }
            return reader;
        } finally {
            mine.lock.unlock();
        }
    }

    /**
     * One thread's readers by run, most recently used last, and the very last one at hand (most reads). Its lock is
     * the owner's, uncontended but for a drop.
     */
    private static final class Readers {
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        final Int2ObjectLinkedOpenHashMap<DocumentReader> byRun = new Int2ObjectLinkedOpenHashMap<>();
        int drops;
        int lastRun = -1;
        DocumentReader last;
    }

    private DocumentReader readerFor(Readers mine, int run) {
        if (mine.drops != drops) {
            forget(mine);
        }
        if (mine.lastRun == run) {
            return mine.last;
        }
        DocumentReader reader = mine.byRun.getAndMoveToLast(run);
        if (reader == null) {
            reader = newReader();
            mine.byRun.putAndMoveToLast(run, reader);
            if (mine.byRun.size() > TAILERS_PER_THREAD) {
                DocumentReader evicted = mine.byRun.removeFirst();
                open.remove(evicted);
                evicted.close();
            }
        }
        mine.lastRun = run;
        mine.last = reader;
        return reader;
    }

    /**
     * Run numbers change when retention drops the oldest files, and a reader left on a dropped file would keep it
     * mapped (its disk space not given back until that thread reads again, which an idle event loop may not do for
     * hours), so a drop closes every thread's readers now, each under its thread's lock; each thread then starts
     * again with new readers. Called on the writer thread, after the new table is in place.
     */
    void dropped() {
        drops++;
        for (Readers r : everyThread) {
            r.lock.lock();
            try {
                forget(r);
            } finally {
                r.lock.unlock();
            }
        }
    }

    private void forget(Readers mine) {
        for (DocumentReader r : mine.byRun.values()) {
            open.remove(r);
            r.close();
        }
        mine.byRun.clear();
        mine.lastRun = -1;
        mine.last = null;
        mine.drops = drops;
    }

    private DocumentReader newReader() {
        if (closed) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
        DocumentReader reader = new DocumentReader(queue.createTailer());
        open.add(reader);
        return reader;
    }

    /** See {@link ChronicleJournal#replay}: feeds positions from..end-1, logs and skips entries that do not decode. */
    long replay(CycleTable table, long from, long end, Journal.EntryConsumer consumer) {
        ValueNumbers numbers = new ValueNumbers();
        boolean texts = consumer.readsTexts();
        return walk(table, from, end, (reader, position) -> reader.decode(position, values, numbers, texts),
                (position, entry) -> consumer.accept(position, entry,
                        entry instanceof Entry.Created ? numbers : ValueNumbers.NONE));
    }

    /**
     * As {@link #replay}, each entry read into the {@link EntryBytes} {@code holders} gives instead of decoded;
     * {@code learn}: the value numbers are not known yet and are learnt on the way.
     */
    long replayBytes(CycleTable table, long from, long end, boolean learn, Supplier<EntryBytes> holders,
                     Journal.BytesConsumer consumer) {
        return walk(table, from, end, (reader, position) -> {
            EntryBytes holder = holders.get();
            reader.read(position, values, learn, holder);
            return holder;
        }, consumer::accept);
    }

    /** Reads the entry a {@link DocumentReader} holds; a {@link CorruptEntryException} if it does not decode. */
    @FunctionalInterface
    private interface Read<T> {
        T read(DocumentReader reader, long position);
    }

    @FunctionalInterface
    private interface Feed<T> {
        void accept(long position, T entry);
    }

    /** Reads positions from..end-1 in order and feeds each entry that reads; logs and skips those that do not. */
    private <T> long walk(CycleTable table, long from, long end, Read<T> read, Feed<T> feed) {
        long fed = 0;
        long skipped = 0;
        try (DocumentReader reader = new DocumentReader(queue.createTailer())) {
            int run = table.runOf(from);
            long runEnd = table.endOf(run);
            long index = table.indexOf(from);
            boolean found = reader.readAt(index);
            for (long position = from; position < end; position++, index++) {
                if (position == runEnd) {
                    runEnd = table.endOf(++run);
                    index = table.firstIndex(run);
                    found = reader.readAt(index);
                } else if (position > from) {
                    found = reader.readNext(index);
                }
                if (!found) {
                    throw missing(position, index);
                }
                if (indexAudit != null) {
                    indexAudit.entry(index, position, reader.offset());
                }
                T entry;
                try {
                    entry = read.read(reader, position);
                } catch (CorruptEntryException e) {
                    // The first few name themselves; the count says the rest, which a damaged file may hold by the
                    // million.
                    if (skipped < LOGGED_CORRUPT) {
                        LOG.warning("replay of " + dir + " skips a corrupt " + e.getMessage() + " (" + place(index)
                                + ")");
                    }
                    skipped++;
                    continue;
                }
                feed.accept(position, entry);
                fed++;
            }
        }
        if (skipped > 0) {
            LOG.warning("replay of " + dir + " skipped " + skipped + " corrupt entries and fed " + fed);
        }
        return fed;
    }

    private IllegalStateException missing(long position, long index) {
        return new IllegalStateException("journal " + dir + " has no entry at position " + position
                + " (Chronicle index 0x" + Long.toHexString(index) + ", " + place(index) + ")");
    }

    /** Where a Chronicle index is, in words: {@code entry 3 of cycle file 20260103F.cq4}. */
    static String place(long index) {
        return "entry " + ChronicleJournal.ROLL_CYCLE.toSequenceNumber(index) + " of cycle file "
                + ChronicleJournal.cycleFileName(ChronicleJournal.ROLL_CYCLE.toCycle(index));
    }

    /** Closes every thread's tailers; reads that are still running fail. */
    @Override
    public void close() {
        closed = true;
        for (DocumentReader reader : open) {
            reader.close();
        }
        open.clear();
    }
}
