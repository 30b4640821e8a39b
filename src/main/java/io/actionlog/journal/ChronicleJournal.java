package io.actionlog.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.io.SingleThreadedChecked;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.posix.PosixAPI;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The journal on a Chronicle Queue. Files in its directory (the server passes {@code <data>/journal}):
 * <ul>
 * <li>{@code yyyyMMdd'F'.cq4}: one cycle file per UTC day, one Chronicle document per entry holding exactly the
 * {@link EntryCodec} bytes (4 bytes of Chronicle header each). Chronicle grows them sparsely in 64 MiB chunks, so
 * their sizes run ahead of the data.</li>
 * <li>{@code metadata.cq4t}: Chronicle's write lock and cycle listing; rebuilt from the cycle files if lost.</li>
 * <li>{@code journal.lock}: locked while the journal is open, so a second server fails fast ({@link DirectoryLock}).</li>
 * </ul>
 * <b>Roll cycle</b> FAST_DAILY: a file a day keeps the file count low (about 365 a year, a binary search of 9
 * steps in the {@link CycleTable}) and matches the retention unit of an audit trail, and its 32-bit sequence takes
 * far more than millions of entries a day. <b>Index spacing</b> 1 ({@link #INDEX_SPACING}): every entry is indexed,
 * for 8 bytes of index per entry.
 * <b>Positions</b> are dense; the {@link CycleTable} maps them to Chronicle indexes.
 *
 * <p><b>Threads.</b> {@link #open} may take seconds (recovery, mapping files): call it off the event loop.
 * {@link #append} and {@link #sync} from one writer thread only (the appender is thread-confined and adopted by the
 * first thread that appends). {@link #read} from any thread: each thread gets tailers of its own
 * ({@link ChronicleReader}), closed by {@link #close}. {@link #replay} on the thread that calls it, before the writer starts. The writer publishes the
 * cycle table, then {@link #size()} (both volatile) after each entry is complete, so a reader that saw a size can
 * read every position below it. {@link #close} after the writer and the readers have stopped.
 *
 * <p><b>Durability.</b> PROCESS: an entry is in the page cache once appended; {@link #sync} does nothing. OS:
 * {@link #sync} forces every cycle file written since the last sync, and the directory after a roll
 * ({@link CycleFileSync}). Chronicle's own msync is turned off (SyncMode.NONE) since it would run on whichever
 * thread releases a chunk, including event loops.
 *
 * <p>Bytes per entry, replay rate and random read time are measured by {@code JournalBench} and
 * {@code scripts/bench-replay.sh}; the figures are in docs/benchmarks.md.
 */
public final class ChronicleJournal implements Journal {
    /** Held here: java.util.logging keeps loggers weakly, and a collected one would forget its level. */
    private static final Logger CHRONICLE_LOG = Logger.getLogger("net.openhft");

    static {
        // Chronicle reads these in static initialisers (AnalyticsFacade, MappedFile). This block runs when this class
        // is initialised, before any of its code can initialise a Chronicle class (verifying this class may load
        // Chronicle classes, but loading runs no initialiser). It is too late if other code touched Chronicle first,
        // which is why Main and surefire set chronicle.analytics.disable themselves. mappedFile.retain keeps a cycle
        // file's 64 MiB chunks mapped while the file is open; without it random reads map and unmap chunks at a few
        // milliseconds each. mappedFile.defaultSyncMode=NONE: Chronicle's own msyncs (on whatever thread releases a
        // mapping) are replaced by CycleFileSync on the writer thread.
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("mappedFile.retain", "true");
        setIfAbsent("mappedFile.defaultSyncMode", "NONE");
        // Chronicle's start-up notes (where it loaded from, the JVM it runs on, an invitation to leave an e-mail
        // address, how long a mapping or a disk-space poll took) mean nothing to an operator; its warnings stay.
        setIfAbsent("chronicle.announcer.disable", "true");
        CHRONICLE_LOG.setLevel(Level.WARNING);
        // Chronicle's Jvm loads its POSIX binding (jnr-ffi, and JNA for thread affinity) as it starts, only to have
        // it at hand; the journal calls none of it (Chronicle's msync is off, see above; no pre-touching, no
        // affinity), and loading it took 0.25 s of each start. Set before any Chronicle class is initialised.
        PosixAPI.useNoOpPosixApi();
    }

    static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;
    private static final DateTimeFormatter CYCLE_NAMES = DateTimeFormatter.ofPattern(ROLL_CYCLE.format())
            .withZone(ZoneOffset.UTC);
    /**
     * Every entry is indexed, so a random read (the rows of a list lie anywhere in the journal) goes from Chronicle's
     * index straight to its entry, in about 30 % less time than from every 16th (docs/benchmarks.md, "The journal
     * indexes every entry"). The index costs 8 bytes an entry on disk, and 16384 entries an index array keep a daily
     * cycle's capacity at 16384 x 16384 = 268 million entries. Both are written into each cycle file's header, so
     * files written with other settings are read with their own.
     */
    static final int INDEX_SPACING = 1;
    static final int INDEX_COUNT = 16384;
    static final long DEFAULT_FREE_SPACE_RESERVE = 256L << 20;
    private static final Logger LOG = Logger.getLogger(ChronicleJournal.class.getName());

    /**
     * Test seams: a clock for the roll cycle (null: Chronicle's), the forcer behind OS sync, the free-space reserve,
     * and the index spacing of new cycle files (journals written by earlier versions indexed every 16th entry).
     */
    record Options(LongSupplier clockMillis, CycleFileSync.Forcer forcer, long freeSpaceReserve, int indexSpacing) {
        static final Options DEFAULT = new Options(null, CycleFileSync.FSYNC, DEFAULT_FREE_SPACE_RESERVE);

        Options(LongSupplier clockMillis, CycleFileSync.Forcer forcer, long freeSpaceReserve) {
            this(clockMillis, forcer, freeSpaceReserve, INDEX_SPACING);
        }
    }

    private final Path dir;
    private final DataBytes dataBytes;
    private final DirectoryLock lock;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final CycleFileSync fileSync;
    private final DiskSpaceGuard space;
    private final JournalRecovery.Outcome recovery;
    private final EncodeBuffer buffer = new EncodeBuffer(64 << 10);
    private final ValueTable values;
    private int[] ends = new int[64];
    private int[] marks = new int[64];
    private final ChronicleReader reader;
    /** What a read-only open could not check but is no damage to the journal's entries (see {@link #notes}). */
    private final List<String> notes = new ArrayList<>();
    /** Cycle files a read-only open found outside the listing it reads (see {@link #unlisted(Path, Set)}). */
    private final List<String> unlisted;
    /** A read-only journal's check of the cycle files' indexes as it is walked; null for a writable one. */
    private final IndexAudit indexAudit;
    private volatile CycleTable table = CycleTable.EMPTY;
    /** Position of the oldest kept entry: 0 until retention drops files ({@link JournalHead}). */
    private volatile long first;
    private volatile long size;
    /** Whether {@link #values} knows every number the journal's entries define; see {@link #learnValues}. */
    private volatile boolean valuesLearned;
    private volatile boolean closed;
    /** Read only: the cycle files holding bytes past their entries ({@link #fileProblems}). */
    private final List<String> hidden;

    private ChronicleJournal(Path dir, Durability durability, Options options, DirectoryLock lock,
                             SingleChronicleQueue queue, JournalRecovery.Outcome recovery, JournalHead head,
                             ValueTable values, boolean readOnly) {
        this.dir = dir;
        this.dataBytes = new DataBytes(dir);
        this.values = values;
        this.first = head.firstPosition;
        this.lock = lock;
        this.queue = queue;
        this.recovery = recovery;
        this.fileSync = durability == Durability.OS ? new CycleFileSync(dir, options.forcer()) : null;
        this.space = new DiskSpaceGuard(dir, options.freeSpaceReserve());
        this.indexAudit = readOnly ? new IndexAudit(dir, ROLL_CYCLE) : null;
        this.reader = new ChronicleReader(queue, dir, values, indexAudit);
        // Creating the appender seals older cycles with end-of-file markers; the writer thread adopts it later.
        this.appender = readOnly ? null : queue.createAppender();
        if (appender != null) {
            ((SingleThreadedChecked) appender).singleThreadedCheckReset();
        }
        // Chronicle's listing of the cycles may still name files a drop deleted (it is refreshed lazily).
        queue.refreshDirectoryListing();
        ChronicleReader.Scan scan = reader.scanCycles(first);
        this.unlisted = readOnly ? unlisted(dir, scan.files()) : List.of();
        this.hidden = readOnly ? bytesAfterEntries(dir, scan.files()) : List.of();
        this.table = scan.table();
        this.size = scan.size();
        this.valuesLearned = size == first;
    }

    public static ChronicleJournal open(Path dir, Durability durability) {
        return open(dir, durability, Options.DEFAULT);
    }

    /** As {@link #open(Path, Durability)}, with day files rolled by {@code clockMillis} (null: the real clock). */
    public static ChronicleJournal open(Path dir, Durability durability, LongSupplier clockMillis) {
        return open(dir, durability, clockMillis == null ? Options.DEFAULT
                : new Options(clockMillis, CycleFileSync.FSYNC, DEFAULT_FREE_SPACE_RESERVE));
    }

    static ChronicleJournal open(Path dir, Durability durability, Options options) {
        try {
            OwnerOnly.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal directory " + dir + ": " + e, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        SingleChronicleQueue queue = null;
        try {
            ValueTable values = new ValueTable();
            JournalHead head = JournalHead.read(dir, values);
            head.removeDropped(dir);
            refuseCutShort(dir, "the server does not start on it (restore the journal from a backup); nothing was "
                    + "changed");
            JournalRecovery.Outcome recovery = JournalRecovery.run(dir);
            queue = buildQueue(dir, options, false);
            ChronicleJournal journal = new ChronicleJournal(dir, durability, options, lock, queue, recovery, head,
                    values, false);
            // Nothing was appended if it throws; the catch below closes the queue and the lock.
            journal.requireCounted(recovery.lastCycleFile(), recovery.lastCycleEntries(),
                    "the server does not start on it");
            return journal;
        } catch (RuntimeException | Error e) {
            release(queue, lock);
            throw e;
        }
    }

    /**
     * Opens an existing journal to read it only, as {@code verify} does: nothing in the directory is changed, not
     * even what a server's start mends (a torn or damaged tail, a stale lock, files a drop left behind). What that
     * would mend is refused here with the damage named, so that it stays as it was found. Appends fail.
     */
    public static ChronicleJournal openReadOnly(Path dir) {
        DirectoryLock lock = DirectoryLock.acquire(dir);
        SingleChronicleQueue queue = null;
        try {
            ValueTable values = new ValueTable();
            JournalHead head = JournalHead.read(dir, values);
            if (!head.dropped(dir).isEmpty()) {
                throw new IllegalStateException("journal " + dir + " still holds cycle files that retention dropped "
                        + head.dropped(dir) + " (it stopped before deleting them): a server start deletes them");
            }
            refuseCutShort(dir, "nothing was changed");
            JournalRecovery.Inspection inspection = JournalRecovery.inspect(dir);
            if (inspection.damage() != null) {
                throw new IllegalStateException(inspection.damage() + "; nothing was changed (a server start would cut "
                        + "or move these bytes: keep a copy first if they are evidence)");
            }
            String metadata = JournalRecovery.unreadableMetadata(dir);
            ChronicleJournal journal;
            try {
                queue = metadata == null ? buildQueue(dir, Options.DEFAULT, true) : buildWithoutMetadata(dir);
                journal = new ChronicleJournal(dir, Durability.PROCESS, Options.DEFAULT, lock, queue, null, head,
                        values, true);
            } catch (RuntimeException | InternalError e) {
                // Chronicle's own words for a damaged header ("field indexing required", an alias, a SIGBUS on a file
                // cut short) say nothing alone.
                throw new IllegalStateException("journal " + dir + " does not open to read (" + e.getMessage()
                        + (metadata != null ? "): metadata.cq4t does not read (" + metadata + "), and Chronicle reads "
                        + "no journal beside such a file; nothing was changed (a server start moves it aside and "
                        + "rebuilds it)" : "): the header of a cycle file or of metadata.cq4t is damaged; nothing was "
                        + "changed (a server start rebuilds metadata.cq4t, not a cycle file)"), e);
            }
            if (!journal.unlisted.isEmpty()) {
                // Nothing of the journal is open yet but the queue and the lock, which the catch below closes.
                throw new IllegalStateException("journal " + dir + " holds cycle files that metadata.cq4t does not "
                        + "list, " + journal.unlisted + ": copied in, or made by a server that stopped before listing "
                        + "them; read only, the journal is the listed files, where a server start reads every one; "
                        + "nothing was changed");
            }
            if (metadata != null) {
                journal.notes.add("metadata.cq4t, Chronicle's listing of the cycle files, does not read (" + metadata
                        + "): the cycle files were listed without it; a server start rebuilds it");
            }
            journal.requireCounted(inspection.lastCycleFile(), inspection.lastCycleEntries(), "nothing was changed");
            return journal;
        } catch (RuntimeException | Error e) {
            release(queue, lock);
            throw e;
        }
    }

    /**
     * A read-only queue on a directory whose metadata.cq4t does not read: Chronicle falls back to listing the cycle
     * files itself, after logging the failure with a stack trace and a hex dump of the file, which say nothing to
     * an auditor; the journal's {@link #notes} say it instead.
     */
    private static SingleChronicleQueue buildWithoutMetadata(Path dir) {
        Logger builder = Logger.getLogger(SingleChronicleQueueBuilder.class.getName());
        Level before = builder.getLevel();
        builder.setLevel(Level.SEVERE);
        try {
            return buildQueue(dir, Options.DEFAULT, true);
        } finally {
            builder.setLevel(before);
        }
    }

    /**
     * Fails, ending its message with {@code consequence}, unless Chronicle counts in the last cycle file at least
     * the {@code entries} a walk of its documents found (-1: not known). A store header whose write position was
     * changed makes Chronicle count fewer: opened, the journal would hide the rest, and new entries would go after
     * them in the file while reads by position found the hidden ones in their place.
     */
    private void requireCounted(String lastFile, long entries, String consequence) {
        if (lastFile == null || entries < 0) {
            return;
        }
        long counted = reader.entriesIn(cycleOf(lastFile));
        if (counted < entries) {
            throw new IllegalStateException("cycle file " + dir.resolve(lastFile) + " holds " + entries + " complete "
                    + "entries, but its store header counts " + counted + ": the header was changed or damaged, and "
                    + "the journal opened on it would hide entries and misplace new ones; " + consequence);
        }
    }

    /** Fails, ending its message with {@code consequence}, if a cycle file ends inside its entries. */
    private static void refuseCutShort(Path dir, String consequence) {
        String problem = CycleFileEnds.firstCutShort(dir);
        if (problem != null) {
            throw new IllegalStateException(problem + "; " + consequence);
        }
    }

    /** Closes what an open that failed had opened: the queue, if built, and the lock. */
    private static void release(SingleChronicleQueue queue, DirectoryLock lock) {
        if (queue != null) {
            queue.close();
        }
        lock.close();
    }

    /** The cycle of a cycle file's name, as {@link #cycleFileName} makes it. */
    static int cycleOf(String fileName) {
        String day = fileName.substring(0, fileName.length() - JournalRecovery.CYCLE_SUFFIX.length());
        long millis = LocalDate.parse(day, CYCLE_NAMES).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return (int) (millis / ROLL_CYCLE.lengthInMillis());
    }

    /** The name of the cycle file of {@code cycle} (its UTC day since the epoch), as Chronicle names it. */
    static String cycleFileName(int cycle) {
        return CYCLE_NAMES.format(Instant.ofEpochMilli(cycle * (long) ROLL_CYCLE.lengthInMillis()))
                + JournalRecovery.CYCLE_SUFFIX;
    }

    /**
     * The cycle files in {@code dir} that are not among {@code listed}: a read-only queue walks only the days between
     * the first and the last that metadata.cq4t lists, where a server start lists the directory again and would
     * read a file copied in (or left) outside them.
     */
    private static List<String> unlisted(Path dir, Set<String> listed) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(JournalRecovery.CYCLE_SUFFIX) && !listed.contains(name))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
    }

    static SingleChronicleQueue buildQueue(Path dir, Options options) {
        return buildQueue(dir, options, false);
    }

    private static SingleChronicleQueue buildQueue(Path dir, Options options, boolean readOnly) {
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(ROLL_CYCLE)
                .indexSpacing(options.indexSpacing())
                .indexCount(INDEX_COUNT)
                .syncMode(SyncMode.NONE)
                .readOnly(readOnly);
        if (!readOnly) {
            builder.timeProvider(CycleClock.of(dir, options.clockMillis())::millis);
        } else if (options.clockMillis() != null) {
            builder.timeProvider(options.clockMillis()::getAsLong);
        }
        SingleChronicleQueue queue = builder.build();
        if (!readOnly) {
            PrivateCycleFiles.restrictAll(dir);
        }
        return queue;
    }

    /**
     * Appends in order and returns the first entry's position. Encoding and the free-space check happen before
     * anything is written, so an {@link IllegalArgumentException} (bad state code) or {@link JournalFullException}
     * leaves the journal unchanged. An I/O failure while writing may leave a prefix of the batch appended;
     * {@link #size()} then counts it, and the journal should be closed (the next open replays what landed).
     * Either way the value numbers that only unwritten entries defined are taken back, so no later entry can use
     * a number the journal does not hold.
     */
    @Override
    public long append(List<Entry> entries) {
        return append(entries, null);
    }

    @Override
    public long append(Entry entry, ValueNumbers numbers) {
        return append(List.of(entry), numbers);
    }

    /** {@code numbers}, when given, gets the value numbers of the entries' one Created entry. */
    private long append(List<Entry> entries, ValueNumbers numbers) {
        ensureOpen();
        if (appender == null) {
            throw new IllegalStateException("journal " + dir + " is open to read only");
        }
        learnValues();
        long first = size;
        int n = entries.size();
        if (n == 0) {
            return first;
        }
        try {
            encodeAll(entries, numbers);
            space.beforeAppend(buffer.length());
            writeAll(n);
        } finally {
            int written = (int) (size - first);
            if (written < n) {
                values.rollback(marks[written]);
            }
            values.commit();
        }
        return first;
    }

    /** Writes the encoded entries; the size counts those written even if a later one fails. */
    private void writeAll(int n) {
        CycleTable t = table;
        long position = size;
        try {
            for (int i = 0, start = 0; i < n; start = ends[i++]) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(buffer.array(), start, ends[i] - start);
                }
                long written = position++;
                long index = appender.lastIndexAppended();
                boolean newRun = index != t.nextIndexInLastRun(written);
                if (newRun) {
                    t = t.withRun(written, index);
                    table = t; // before size, so readers that see the size find the run
                    PrivateCycleFiles.restrict(appender.currentFile());
                }
                if (fileSync != null && (newRun || i == 0)) {
                    fileSync.written(appender.currentFile(), newRun);
                }
            }
        } finally {
            size = position;
        }
    }

    private void encodeAll(List<Entry> entries, ValueNumbers numbers) {
        if (ends.length < entries.size()) {
            ends = new int[Math.max(entries.size(), ends.length * 2)];
            marks = new int[ends.length];
        }
        buffer.clear();
        if (numbers != null) {
            numbers.givenBy(values);
        }
        for (int i = 0; i < entries.size(); i++) {
            marks[i] = values.mark();
            EntryCodec.encode(entries.get(i), buffer, values, numbers);
            ends[i] = buffer.length();
        }
    }

    @Override
    public void sync() {
        ensureOpen();
        if (fileSync != null) {
            fileSync.sync();
        }
    }

    /**
     * The entry at {@code position}. Throws {@link CorruptEntryException} for an entry whose bytes do not decode
     * (replay skipped it), {@link IndexOutOfBoundsException} outside 0..size()-1.
     */
    @Override
    public Entry read(long position) {
        readable(position);
        try {
            return reader.read(table, position);
        } catch (RuntimeException e) {
            throw droppedMeanwhile(position, e);
        }
    }

    @Override
    public Entry readLinks(long position) {
        readable(position);
        try {
            return reader.readLinks(table, position);
        } catch (RuntimeException e) {
            throw droppedMeanwhile(position, e);
        }
    }

    @Override
    public void readCreated(long position, CreatedBytes into) {
        readCreated(position, into, Integer.MAX_VALUE);
    }

    @Override
    public boolean readCreated(long position, CreatedBytes into, int maxBytes) {
        readable(position);
        try {
            return reader.readCreated(table, position, into, maxBytes);
        } catch (RuntimeException e) {
            throw droppedMeanwhile(position, e);
        }
    }

    /**
     * A read that failed because retention dropped its position while it ran (after {@link #readable}, the table
     * and the files changed under it) says so; any other failure is what it is.
     */
    private RuntimeException droppedMeanwhile(long position, RuntimeException e) {
        if (position < first && !(e instanceof CorruptEntryException)) {
            return new PositionDroppedException(position, first);
        }
        return e;
    }

    /** Checks that an entry can be read at the position, learning the value numbers first if nothing has yet. */
    private void readable(long position) {
        long n = size;
        if (position < first && position >= 0) {
            throw new PositionDroppedException(position, first);
        }
        if (position < 0 || position >= n) {
            throw new IndexOutOfBoundsException("position " + position + " is not in the journal (size " + n + ")");
        }
        ensureOpen();
        learnValues();
    }

    /**
     * Feeds the entries from {@code from} (or from {@link #first()}, if retention dropped {@code from}) up to the size
     * at the call, in order. An entry that does not decode is logged and skipped (it keeps its position); the
     * return value counts only the entries fed.
     */
    @Override
    public long replay(long from, EntryConsumer consumer) {
        return replaying(from, (start, end, learn) -> reader.replay(table, start, end, consumer));
    }

    /** As {@link #replay}, the entries read as {@link EntryBytes}. */
    @Override
    public long replayBytes(long from, Supplier<EntryBytes> holders, BytesConsumer consumer) {
        return replaying(from, (start, end, learn) -> reader.replayBytes(table, start, end, learn, holders, consumer));
    }

    /** A replay of the entries {@code [start, end)}; {@code learn}: it is the one that learns the value numbers. */
    @FunctionalInterface
    private interface Replay {
        long run(long start, long end, boolean learn);
    }

    private long replaying(long from, Replay replay) {
        ensureOpen();
        long end = size;
        if (from < 0 || from > end) {
            throw new IndexOutOfBoundsException("cannot replay from " + from + ": journal size is " + end);
        }
        from = Math.max(from, first);
        if (from == first && !valuesLearned) {
            synchronized (this) {
                long fed = replay.run(from, end, true);
                valuesLearned = true;
                return fed;
            }
        }
        learnValues();
        return from == end ? 0 : replay.run(from, end, false);
    }

    /**
     * Entries refer to values by numbers that earlier entries define, so the numbers must be known before anything
     * is read or appended. A replay from the start (which the server runs first) teaches them on the way; anything
     * else that comes first walks the journal once for them.
     */
    private void learnValues() {
        if (!valuesLearned) {
            synchronized (this) {
                if (!valuesLearned) {
                    reader.replay(table, first, size, new EntryConsumer() {
                        @Override
                        public void accept(long position, Entry entry) {
                        }

                        @Override
                        public boolean readsTexts() {
                            return false;
                        }
                    });
                    valuesLearned = true;
                }
            }
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long first() {
        return first;
    }

    /** The first position of each kept cycle file, oldest first. */
    @Override
    public long[] segments() {
        CycleTable t = table;
        long[] starts = new long[t.runs()];
        for (int run = 0; run < starts.length; run++) {
            starts[run] = t.firstPosition(run);
        }
        return starts;
    }

    /**
     * Drops the cycle files holding the entries below {@code to}, which must be the first position of a kept file
     * other than the first (the files before it are closed: the writer moved on). Writer thread, after the entries
     * that record the drop are appended and synced. The head file is written first (see {@link JournalHead}), then
     * the files deleted; the bytes reported are their sizes (sparse files may have used fewer blocks). Readers on
     * other threads drop their tailers on those files at their next read.
     */
    @Override
    public Dropped drop(long to, Runnable beforeDelete) {
        ensureOpen();
        CycleTable t = table;
        int keep = t.runs() - 1;
        while (keep > 0 && t.firstPosition(keep) > to) {
            keep--;
        }
        if (t.firstPosition(keep) != to || keep == 0) {
            throw new IllegalArgumentException("cannot drop up to position " + to
                    + ": not the start of a cycle file after the first");
        }
        List<Path> files = new java.util.ArrayList<>();
        for (int run = 0; run <= keep; run++) {
            files.add(fileOf(t, run));
        }
        Path firstKept = files.remove(keep);
        long from = first;
        JournalHead head = JournalHead.write(dir, to, firstKept.getFileName().toString(), values);
        table = t.from(keep);
        first = to;
        reader.dropped();
        beforeDelete.run();
        long bytes = 0;
        List<String> names = new java.util.ArrayList<>();
        for (Path f : files) {
            bytes += fileSize(f);
            names.add(f.getFileName().toString());
        }
        head.removeDropped(dir);
        queue.refreshDirectoryListing();
        return new Dropped(from, to, names, bytes);
    }

    @Override
    public long[] segmentBytes() {
        CycleTable t = table;
        long[] bytes = new long[t.runs()];
        for (int run = 0; run < bytes.length; run++) {
            // Measured as the journal's size is, each file read once it is sealed, not at every retention check.
            bytes[run] = dataBytes.endOf(fileOf(t, run));
        }
        return bytes;
    }

    private Path fileOf(CycleTable t, int run) {
        try (net.openhft.chronicle.queue.ExcerptTailer tailer = queue.createTailer()) {
            if (!tailer.moveToIndex(t.firstIndex(run))) {
                throw new IllegalStateException("journal " + dir + ": no entry at the start of cycle run " + run);
            }
            return tailer.currentFile().toPath();
        }
    }

    @Override
    public long dataBytes() {
        return dataBytes.measure();
    }

    /** How many day files the last {@link #dataBytes} read (the others were sealed and measured before). */
    int dataFilesRead() {
        return dataBytes.filesRead();
    }

    /** The sum of the file sizes in the directory; cycle files are sparse, so blocks in use can be fewer. */
    @Override
    public long diskBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(ChronicleJournal::fileSize).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        }
    }

    @Override
    public JournalCopy copy(long copySize, long since, Path scratch) {
        ensureOpen();
        if (copySize < 0 || copySize > size) {
            throw new IndexOutOfBoundsException("cannot copy " + copySize + " entries: journal size is " + size);
        }
        // The start the copied head must name. A drop that moves it while the copy is made is the caller's to see
        // (a backup reads the start again after the copy).
        long start = first;
        JournalCopy copy = JournalCopy.make(queue, table, copySize, since, scratch);
        return start == 0 ? copy : copy.withHead(dir.resolve(JournalHead.FILE), start);
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // deleted while listing
        }
    }

    JournalRecovery.Outcome recovery() {
        return recovery;
    }

    @Override
    public String placeOf(long position) {
        CycleTable t = table;
        return position < first() || position >= size || t.runs() == 0 ? null
                : ChronicleReader.place(t.indexOf(position));
    }

    /**
     * What a read-only journal's walks found wrong in the cycle files' own indexes (Chronicle's, which the server's
     * reads by position follow), one line per damaged file; empty for a writable journal. The walks themselves read
     * entry after entry and are not misled by it.
     */
    public List<String> indexProblems() {
        return indexAudit == null ? List.of() : indexAudit.problems();
    }

    /**
     * What a read-only open found in the cycle files around the entries, and its walks in their indexes: damage
     * that the server's answers may not show, one line per file (empty for a writable journal).
     */
    public List<String> fileProblems() {
        List<String> all = new ArrayList<>(hidden);
        all.addAll(indexProblems());
        return all;
    }

    /** {@link CycleFileEnds#bytesAfterEntries} of each listed file but the last, which recovery judges. */
    private static List<String> bytesAfterEntries(Path dir, Set<String> listed) {
        List<String> names = listed.stream().sorted().toList();
        List<String> found = new ArrayList<>();
        try {
            for (String name : names.subList(0, Math.max(0, names.size() - 1))) {
                Path file = dir.resolve(name);
                String problem = Files.exists(file) ? CycleFileEnds.bytesAfterEntries(file) : null;
                if (problem != null) {
                    found.add(problem);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cycle files of " + dir + ": " + e, e);
        }
        return found;
    }

    /** What a read-only open found amiss beside the entries, which a server start mends: no damage to them. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Forces what was appended (OS mode), then closes the tailers, the appender and the queue, records where the last
     * cycle file's entries end (see {@link JournalRecovery}) and releases the lock. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (appender == null) {
            closed = true;
            quietly("close the tailers", reader::close);
            quietly("close the index audit", indexAudit::close);
            quietly("close the queue", queue::close);
            lock.close();
            return;
        }
        quietly("sync", this::sync);
        closed = true;
        quietly("close the tailers", reader::close);
        quietly("close the appender", appender::close);
        quietly("close the queue", queue::close);
        // Last, with every mapping released: lets the next open skip the walk of what is already known complete.
        quietly("record where the last cycle file's entries end", () -> {
            try {
                JournalRecovery.recordCheckedTail(dir, recovery.lastCycleFile(), recovery.lastCycleEnd());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        lock.close();
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing journal " + dir + ": could not " + what, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
