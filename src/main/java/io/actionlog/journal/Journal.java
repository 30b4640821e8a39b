package io.actionlog.journal;

import java.util.List;
import java.util.function.Supplier;

/**
 * The append-only record of every change: the only source of truth. Positions are dense entry numbers
 * 0, 1, 2, ... in append order, whatever the implementation's own addressing, so nothing outside this package
 * depends on how the entries are stored.
 *
 * <p>Threads: {@link #append} and {@link #sync} only from the single writer thread; {@link #read} from any
 * thread, for any position below {@link #size()}; {@link #replay} before the writer starts.
 */
public interface Journal extends AutoCloseable {
    /**
     * The journal's format as {@code format.properties} records it: 2 is entry format 2 (repeated values numbered);
     * 3 adds retention's entries (expired ranges, dropped positions, carried-forward actions) and
     * {@code journal/head.dat}, which a build that reads only 2 would take for damage or ignore.
     */
    int FORMAT = 3;


    /** Appends the entries in order and returns the position of the first. */
    long append(List<Entry> entries);

    /**
     * Appends one entry and returns its position; for a Created entry, {@code numbers} gets the journal's numbers
     * of its repeated values, as a replay hands them on, so the index finds its values without hashing them.
     */
    default long append(Entry entry, ValueNumbers numbers) {
        numbers.clear();
        return append(List.of(entry));
    }

    /** Makes every appended entry survive a power loss (a no-op where the durability mode does not ask for it). */
    void sync();

    /** The entry at a position below {@link #size()}. */
    Entry read(long position);

    /**
     * As {@link #read}, for a reader that only follows an action's chain: free texts may come as
     * {@link Entry#TEXT_LEFT_OUT} (see {@link EntryConsumer#readsTexts()}), positions and states are exact.
     */
    default Entry readLinks(long position) {
        return read(position);
    }

    /**
     * The Created entry at a position below {@link #size()}, read into {@code into} without decoding its strings;
     * a {@link CorruptEntryException} if the entry there is not a Created entry or does not decode.
     */
    void readCreated(long position, CreatedBytes into);

    /**
     * As {@link #readCreated(long, CreatedBytes)} when the entry takes at most {@code maxBytes}; a longer one is not
     * kept (false, {@code into} unchanged), so that a reader can bound what it holds. See {@link CreatedBytes#size()}.
     */
    default boolean readCreated(long position, CreatedBytes into, int maxBytes) {
        CreatedBytes read = new CreatedBytes();
        readCreated(position, read);
        if (read.size() > maxBytes) {
            return false;
        }
        readCreated(position, into);
        return true;
    }

    /** Number of entries: the position the next append gets. */
    long size();

    /** The oldest position still held: 0 until retention drops the oldest entries. Positions never change. */
    default long first() {
        return 0;
    }

    /**
     * The first position of each unit the journal can drop (a day file), oldest first: {@link #drop} takes whole
     * units only.
     */
    default long[] segments() {
        return new long[] {first()};
    }

    /** The bytes of data in each unit of {@link #segments()}, in the same order (what dropping it would give back). */
    default long[] segmentBytes() {
        return new long[] {diskBytes()};
    }

    /** What a {@link #drop} removed: positions {@code [from, to)}, in these files, of this many bytes. */
    record Dropped(long from, long to, List<String> files, long bytes) {
    }

    /**
     * Removes every entry below {@code to}, a {@link #segments()} start other than the first; the
     * journal then starts there. {@code beforeDelete} runs once the new start is recorded and before any file goes. Writer thread only; the caller first appends and syncs the entries that record
     * the drop, and carries forward whatever must outlive it.
     */
    default Dropped drop(long to, Runnable beforeDelete) {
        throw new UnsupportedOperationException("this journal cannot drop entries");
    }

    /**
     * Feeds every entry from {@code from} on (from {@link #first()} when {@code from} is older) to the consumer, in
     * order, and returns how many it fed.
     */
    long replay(long from, EntryConsumer consumer);

    /**
     * As {@link #replay}, each entry read into an {@link EntryBytes}, its texts left as UTF-8: for a reader that
     * copies them out as they are. One {@link EntryBytes} serves every entry: a consumer keeps what it needs.
     */
    default long replayBytes(long from, BytesConsumer consumer) {
        EntryBytes holder = new EntryBytes();
        return replayBytes(from, () -> holder, consumer);
    }

    /**
     * As {@link #replayBytes(long, BytesConsumer)}, each entry read into the {@link EntryBytes} that {@code holders}
     * gives for it (asked again for the next entry when one does not read): a consumer that keeps entries, or hands
     * them to other threads, needs neither a copy nor a second read of them.
     */
    default long replayBytes(long from, Supplier<EntryBytes> holders, BytesConsumer consumer) {
        throw new UnsupportedOperationException("this journal cannot replay bytes");
    }

    /** Bytes the journal's files take, as their sizes say (allocated ahead of the data, sparsely). */
    long diskBytes();

    /** Bytes of data in the journal: what retention counts. */
    default long dataBytes() {
        return diskBytes();
    }

    /**
     * Where the entry at {@code position} lies in the store, in words for a person looking for its bytes (such as
     * {@code entry 3 of cycle file 20260103F.cq4}); null when the store has no such words or no such entry.
     */
    default String placeOf(long position) {
        return null;
    }

    /**
     * Cycle files holding the first {@code size} entries (those holding none at or after {@code since} left out),
     * for a backup, made while appends go on; see {@link JournalCopy}. {@code scratch} is a directory of the
     * caller's that the copy may write to; closing the copy removes what it wrote there.
     */
    default JournalCopy copy(long size, long since, java.nio.file.Path scratch) {
        throw new UnsupportedOperationException("this journal cannot be copied");
    }

    @Override
    void close();

    /** What {@link #replayBytes} feeds: each entry in one {@link EntryBytes}, valid only during the call. */
    @FunctionalInterface
    interface BytesConsumer {
        void accept(long position, EntryBytes entry);
    }

    @FunctionalInterface
    interface EntryConsumer {
        void accept(long position, Entry entry);

        /**
         * What {@link #replay} calls: the entry with the journal's numbers of its repeated values, for a consumer
         * that keeps something per value ({@link ValueNumbers#NONE} where there are none).
         */
        default void accept(long position, Entry entry, ValueNumbers numbers) {
            accept(position, entry);
        }

        /**
         * Whether the consumer reads the free texts of the entries it is fed. One that does not (the index, which
         * only asks whether an error is empty and whether metadata is {@code {}}) gets every text that is not null,
         * empty or {@code {}} as {@link Entry#TEXT_LEFT_OUT}: decoding those texts was a third of a replay.
         */
        default boolean readsTexts() {
            return true;
        }
    }
}
