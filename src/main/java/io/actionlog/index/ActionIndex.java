package io.actionlog.index;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import io.actionlog.journal.ValueNumbers;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * Everything needed to answer list and lookup requests without reading the journal: per-action columns (start and
 * end dates, state, journal positions), a uuid table, and bitmaps of ordinals per state, user, object, parent,
 * action name, method and ip. Ordinal = id - 1, dense. For the Waldur face's orders it also keeps the action names
 * in name order and which actions have an error or metadata other than the default; the texts themselves stay in
 * the journal.
 *
 * <p>Threads: the index is filled only by {@link #apply}, called by the replay before the server listens and
 * then only by the writer thread, always inside {@link #write}. Readers (event loops) go through methods that
 * take the read lock, so they see either none or all of a write, and they only ever see ordinals whose entries
 * are already in the journal (the writer applies after it appends).
 */
public final class ActionIndex {
    /**
     * The state code, in the index only, of an action retention expired: in no state's set the API knows, so no
     * read finds it. Ids whose entries retention dropped before a restart come back as expired placeholders, so
     * ordinals stay dense and no id is given twice.
     */
    static final byte EXPIRED = (byte) State.values().length;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    final Columns.NearLongs start = new Columns.NearLongs();
    final EndDates end = new EndDates(start);
    final Columns.NearInts created = new Columns.NearInts();
    final Columns.NearInts last = new Columns.NearInts();
    final Columns.Bytes state = new Columns.Bytes();
    final UuidTable uuids = new UuidTable();
    final ZoneMap startZones = new ZoneMap(start);
    final ZoneMap endZones = new ZoneMap(end);
    final StartOrder startOrder = new StartOrder(start, state);
    final RoaringBitmap[] byState = new RoaringBitmap[State.values().length + 1];
    final Postings users = new Postings();
    final Postings objects = new Postings();
    final Postings parents = new Postings();
    final Postings actions = new Postings();
    final Postings methods = new Postings();
    final Postings ips = new Postings();
    final TreeSet<String> actionNames = new TreeSet<>();
    /** Live writes find their values' ids through this; a replay makes its own ({@link ValueIds} says why). */
    private final ValueIds valueIds = newValueIds();
    final RoaringBitmap withError = new RoaringBitmap();
    final RoaringBitmap withMetadata = new RoaringBitmap();
    /** Retries made of each action that has been retried, by its uuid (a retry's retry_of); others take no room. */
    private final Object2IntOpenHashMap<UUID> retries = new Object2IntOpenHashMap<>();
    private final Planner planner = new Planner(this);
    int size;
    /** Position of the first entry applied, -1 before: above 0, retention dropped older entries and ids may skip. */
    private long firstApplied = -1;

    public ActionIndex() {
        for (int i = 0; i < byState.length; i++) {
            byState[i] = new RoaringBitmap();
        }
    }

    /** Runs a change under the write lock; {@link #apply} must only be called inside one. */
    public <T> T write(Supplier<T> change) {
        lock.writeLock().lock();
        try {
            return change.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Replays a journal into the index: {@code replay} feeds entries to {@link #apply}. Bitmap updates are
     * batched for speed, so this runs alone, before anyone reads.
     */
    public long replay(java.util.function.ToLongFunction<io.actionlog.journal.Journal.EntryConsumer> replay) {
        return write(() -> {
            List<Postings> all = List.of(users, objects, parents, actions, methods, ips);
            all.forEach(Postings::buffer);
            uuids.buffer();
            ReplayPipeline pipeline = new ReplayPipeline(newValueIds()::resolve, this::apply);
            long n = replay.applyAsLong(pipeline);
            pipeline.finish();
            // What the replay buffered goes into the uuid table and into the postings independently of each other:
            // on two cores at once (each takes a few hundred ms at 10 M actions, after both replay threads are done).
            CompletableFuture<Void> uuidTable = CompletableFuture.runAsync(uuids::flush,
                    task -> new Thread(task, "actionlog-replay-uuids").start());
            all.forEach(Postings::flush);
            uuidTable.join();
            for (RoaringBitmap b : byState) {
                b.trim();
            }
            withError.trim();
            withMetadata.trim();
            return n;
        });
    }

    /** Folds one journal entry into the index. The single code path for replay and for live writes. */
    public void apply(long position, Entry entry) {
        apply(position, entry, resolve(entry));
    }

    /** As {@link #apply(long, Entry)}, finding values by the journal's numbers where it gives them. */
    public void apply(long position, Entry entry, ValueNumbers numbers) {
        apply(position, entry, resolve(entry, numbers));
    }

    /** For a Created entry, its {@link ValueIds.Resolved} values; null for other entries. */
    ValueIds.Resolved resolve(Entry entry) {
        return resolve(entry, ValueNumbers.NONE);
    }

    /** As {@link #resolve(Entry)}, finding values by the journal's numbers where it gives them. */
    ValueIds.Resolved resolve(Entry entry, ValueNumbers n) {
        return valueIds.resolve(entry, n);
    }

    private ValueIds newValueIds() {
        return new ValueIds(users, objects, parents, actions, methods, ips, actionNames);
    }

    /** {@link #apply(long, Entry)} with the values of a Created entry already resolved. */
    void apply(long position, Entry entry, ValueIds.Resolved resolved) {
        int pos = checkedPosition(position);
        if (firstApplied < 0) {
            firstApplied = position;
        }
        if (entry instanceof Entry.Created c && c.carried()) {
            carried(pos, c, resolved);
        } else if (entry instanceof Entry.Created c) {
            created(pos, c, resolved);
        } else if (entry instanceof Entry.Expired e) {
            expire(e.ids());
        } else if (entry instanceof Entry.Dropped d) {
            placeholdersUpTo(d.highestId());
        } else if (entry instanceof Entry.StateChanged s) {
            if (leftBehind(s.id())) {
                return;
            }
            int ordinal = ordinalOf(s.id());
            byte from = state.get(ordinal);
            state.set(ordinal, s.state());
            byState[from].remove(ordinal);
            byState[s.state()].add(ordinal);
            startOrder.moved(ordinal, from, s.state());
            if (s.endDate() != Entry.NO_TIME && end.get(ordinal) == Entry.NO_TIME) {
                end.set(ordinal, s.endDate());
                endZones.include(ordinal, s.endDate());
            }
            last.set(ordinal, pos);
            texts(ordinal, s.error(), s.metadata());
        } else if (entry instanceof Entry.LogAppended l && !leftBehind(l.id())) {
            last.set(ordinalOf(l.id()), pos);
        }
    }

    /**
     * Whether an entry of this action is one retention left behind: its first entry was dropped, and it is expired
     * or (in a replay) carried forward by a later entry that holds its whole state. Such entries change nothing.
     */
    private boolean leftBehind(long id) {
        if (firstApplied > 0 && id > size) {
            placeholdersUpTo(id);
        }
        return id >= 1 && id <= size && state.get((int) (id - 1)) == EXPIRED;
    }

    private void created(int pos, Entry.Created c, ValueIds.Resolved r) {
        if (c.id() > size + 1L && firstApplied > 0) {
            placeholdersUpTo(c.id() - 1);
        }
        if (c.id() != size + 1L) {
            throw new IdOutOfTurnException(pos, c.id(), size + 1L);
        }
        fill(size, pos, c, r);
        size++;
        startOrder.add(size - 1, c.state());
    }

    /**
     * A carried-forward action: a live one only moves its first and last entry here; one that a replay knows only
     * as a placeholder (its older entries were dropped) comes back to life from this entry alone.
     */
    private void carried(int pos, Entry.Created c, ValueIds.Resolved r) {
        if (c.id() > size) {
            placeholdersUpTo(c.id());
        }
        int o = ordinalOf(c.id());
        if (state.get(o) != EXPIRED) {
            created.set(o, pos);
            last.set(o, pos);
            texts(o, c.error(), c.metadata());
            return;
        }
        byState[EXPIRED].remove(o);
        fill(o, pos, c, r);
        startOrder.add(o, c.state());
    }

    /** Ids up to {@code highestId} that no entry still held creates: expired placeholders, in no read. */
    private void placeholdersUpTo(long highestId) {
        while (size < highestId) {
            int o = size;
            start.set(o, 0);
            end.set(o, Entry.NO_TIME);
            created.set(o, 0);
            last.set(o, 0);
            state.set(o, EXPIRED);
            uuids.addAbsent(o);
            byState[EXPIRED].add(o);
            size++;
        }
    }

    /** Retention expired these id ranges ({@link Entry.Expired}): each leaves every state set and every read. */
    private void expire(long[] ranges) {
        for (int i = 0; i < ranges.length; i += 2) {
            placeholdersUpTo(ranges[i + 1]);
            for (long id = ranges[i]; id <= ranges[i + 1]; id++) {
                int o = (int) (id - 1);
                byte from = state.get(o);
                if (from == EXPIRED) {
                    continue;
                }
                state.set(o, EXPIRED);
                byState[from].remove(o);
                byState[EXPIRED].add(o);
                startOrder.moved(o, from, EXPIRED);
                withError.remove(o);
                withMetadata.remove(o);
            }
        }
    }

    /** Sets every column and set of ordinal {@code o} from a Created entry at {@code pos}; not the start order. */
    private void fill(int o, int pos, Entry.Created c, ValueIds.Resolved r) {
        ActionData d = c.data();
        start.set(o, d.startDate());
        end.set(o, c.endDate());
        created.set(o, pos);
        last.set(o, pos);
        state.set(o, c.state());
        uuids.add(o, d.uuid());
        startZones.include(o, d.startDate());
        if (c.endDate() != Entry.NO_TIME) {
            endZones.include(o, c.endDate());
        }
        byState[c.state()].add(o);
        users.add(r.user(), o);
        objects.add(r.object(), o);
        for (int p : r.parents()) {
            parents.add(p, o);
        }
        actions.add(r.action(), o);
        // A new ordinal is in neither set yet (nor a placeholder): only adds, no removes (a remove is a search).
        if (!c.error().isEmpty()) {
            withError.add(o);
        }
        if (!"{}".equals(c.metadata())) {
            withMetadata.add(o);
        }
        methods.add(r.method(), o);
        ips.add(r.ip(), o);
        if (d.retryOf() != null) {
            retries.addTo(d.retryOf(), 1);
        }
    }

    private void texts(int ordinal, String error, String metadata) {
        mark(withError, ordinal, !error.isEmpty());
        mark(withMetadata, ordinal, !"{}".equals(metadata));
    }

    private static void mark(RoaringBitmap set, int ordinal, boolean member) {
        if (member) {
            set.add(ordinal);
        } else {
            set.remove(ordinal);
        }
    }

    private int ordinalOf(long id) {
        if (id < 1 || id > size) {
            throw new IllegalStateException("journal entry refers to unknown action id " + id);
        }
        return (int) (id - 1);
    }

    private static int checkedPosition(long position) {
        if (position < 0 || position > Integer.MAX_VALUE) {
            throw new IllegalStateException("journal position " + position + " is beyond what the index holds");
        }
        return (int) position;
    }

    // ---- readers: each takes the read lock ----

    public int size() {
        return read(() -> size);
    }

    /** The row of an action by id, or null when there is no such action (or retention expired it). */
    public Row row(long id) {
        return read(() -> id >= 1 && id <= size && state.get((int) (id - 1)) != EXPIRED ? rowOf((int) (id - 1))
                : null);
    }

    /**
     * The rows of {@code ordinals[from, to)} under one read lock, in that order; null for an action that retention
     * expired. For a reader that takes many rows at once (an export).
     */
    public Row[] rows(int[] ordinals, int from, int to) {
        return read(() -> {
            Row[] rows = new Row[to - from];
            for (int i = from; i < to; i++) {
                int o = ordinals[i];
                rows[i - from] = o < size && state.get(o) != EXPIRED ? rowOf(o) : null;
            }
            return rows;
        });
    }

    /** The start date of an existing action, in microseconds since the epoch. */
    public long startDate(long id) {
        return read(() -> start.get((int) (id - 1)));
    }

    /** How many actions are retries of the action with this uuid (their retry_of), as recorded so far. */
    public int retriesOf(UUID uuid) {
        return read(() -> retries.getInt(uuid));
    }

    /**
     * After a replay: reads, once, the uuids of the actions that share their uuid's high half with another
     * ({@code uuidAt}: the uuid of the Created entry at a journal position), so that finding one of them reads at
     * most two entries. Returns how many it read.
     */
    public int resolveUuids(java.util.function.LongFunction<UUID> uuidAt) {
        return write(() -> uuids.resolve(o -> uuidAt.apply(rowOf(o).created())));
    }

    /** Rows of actions whose uuid may be this one: the caller confirms against the journal. */
    public List<Row> uuidCandidates(UUID uuid) {
        return read(() -> {
            List<Row> rows = new ArrayList<>();
            for (int o : uuids.candidates(uuid)) {
                if (state.get(o) != EXPIRED) {
                    rows.add(rowOf(o));
                }
            }
            return rows;
        });
    }

    /** Ordinals whose uuid's high half starts with these bits ({@code bits} of them, at the top of {@code prefix}). */
    public RoaringBitmap uuidHighPrefix(long prefix, int bits) {
        return read(() -> {
            RoaringBitmap out = new RoaringBitmap();
            long mask = bits == 0 ? 0 : -1L << (64 - bits);
            for (int o = 0; o < size; o++) {
                if ((uuids.high(o) & mask) == (prefix & mask) && state.get(o) != EXPIRED) {
                    out.add(o);
                }
            }
            return out;
        });
    }

    public Page query(Query q) {
        if (q.sort() != null && q.limit() == 0) {
            return read(() -> planner.count(q));
        }
        if (q.sort() == null || !q.sort().mayRead()) {
            return read(() -> planner.run(q));
        }
        // Journal reads happen between the two steps, outside the lock, so the writer is never held up by them.
        TextSnapshot snapshot = read(() -> planner.prepare(q));
        if (snapshot.readsNothing()) {
            // A name sort of more actions than it pays to read names for: one step, walking the index's names.
            return read(() -> planner.run(q));
        }
        snapshot.read(q.texts());
        return read(() -> planner.finish(snapshot, q));
    }

    /**
     * How many actions the query's filters admit, per bucket of {@code width} microseconds of start date and per
     * state; at most {@code maxBuckets} buckets, else {@link Histogram.TooManyBuckets}. Index only, no journal read.
     */
    public Histogram histogram(Query q, long width, int maxBuckets) {
        return read(() -> planner.histogram(q, width, maxBuckets));
    }

    /** Every match of a query, in its order, and the journal size they reflect: see {@link #matches}. */
    public record Matches(int[] ordinals, long journalSize) {
    }

    /**
     * Every match of {@code q} in its order, whatever its offset and limit, with {@code journalSize} read under
     * the same read lock: the writer appends and applies under the write lock, so the matches are exactly those of
     * the journal's first {@code journalSize} entries. Holds the writer for the time it takes to select them all
     * (a walk or a sort of the matches).
     */
    public Matches matches(Query q, java.util.function.LongSupplier journalSize) {
        return read(() -> new Matches(planner.all(q), journalSize.getAsLong()));
    }

    /** How many actions the index holds, and the journal size that is, read under one read lock. */
    public record Counts(int actions, long journalSize) {
    }

    /** See {@link Counts}; {@code journalSize} is read under the read lock, as in {@link #matches}. */
    public Counts counts(java.util.function.LongSupplier journalSize) {
        return read(() -> new Counts(live(), journalSize.getAsLong()));
    }

    /** Actions any read can find: all but those retention expired. */
    public int liveCount() {
        return read(this::live);
    }

    private int live() {
        return size - byState[EXPIRED].getCardinality();
    }

    public IndexStats stats() {
        return read(() -> new IndexStats(size, heapBytes(), users.distinct(), objects.distinct()));
    }

    Row rowOf(int o) {
        return new Row(o, created.get(o), last.get(o), state.get(o), end.get(o));
    }

    private long heapBytes() {
        long bytes = start.heapBytes() + end.heapBytes() + created.heapBytes() + last.heapBytes()
                + state.heapBytes() + uuids.heapBytes() + startOrder.heapBytes()
                + withError.getSizeInBytes() + withMetadata.getSizeInBytes()
                // Per retried action: its UUID object (32 bytes) and about two slots of a reference and an int.
                + retries.size() * (32L + 2 * 8L);
        for (RoaringBitmap b : byState) {
            bytes += b.getSizeInBytes();
        }
        for (Postings p : List.of(users, objects, parents, actions, methods, ips)) {
            bytes += p.heapBytes();
        }
        return bytes;
    }

    private <T> T read(Supplier<T> reader) {
        // The writer reads the index between its own changes (the next id, uuid candidates) under the write lock,
        // which already excludes every change: taking the read lock too cost it two atomic updates per read.
        if (lock.isWriteLockedByCurrentThread()) {
            return reader.get();
        }
        lock.readLock().lock();
        try {
            return reader.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
