package io.actionlog.store;

import io.actionlog.action.Action;
import io.actionlog.action.ActionException;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.action.StateChange;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Page;
import io.actionlog.index.Query;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.List;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the HTTP faces and streams use: reads straight from the index and the journal, and writes as
 * {@link WriteCommand}s along a {@link CommandPath}, which {@link ActionChanges} applies on the writer thread, where
 * no other change can interleave. Each write completes with the id of the action it touched.
 */
public final class ActionStore {
    private static final Logger LOG = Logger.getLogger(ActionStore.class.getName());
    /** One daemon thread for the journal's size: a pool shared with others could leave the measure waiting. */
    private static final ExecutorService MEASURES = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "actionlog-journal-size");
        t.setDaemon(true);
        return t;
    });

    /**
     * The outcome of recording: the action's id, whether it is new (201) or an idempotent repeat (200), and its
     * Created entry (the one just written, or the one found), so the reply need not read it back.
     */
    public record Recorded(long id, boolean created, Entry.Created entry) {
    }

    private final Journal journal;
    private final ActionIndex index;
    private final ActionReader reader;
    private final Writer writer;
    private final ActionChanges changes;
    private final CommandPath path;
    private final int maxRetriesPerAction;
    /** See {@link #workAhead}; null: none. */
    private volatile Function<NewAction, Object> ahead;
    private volatile long journalBytes;
    private volatile long journalBytesAt;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private volatile long measureFailedAt = System.nanoTime() - 120_000_000_000L;

    /** {@code maxRetriesPerAction}: configuration key retry.max_per_action. */
    public ActionStore(Journal journal, ActionIndex index, Writer writer, ActionChanges changes, CommandPath path,
                       int maxRetriesPerAction) {
        this.journal = journal;
        this.index = index;
        this.reader = new ActionReader(journal);
        this.writer = writer;
        this.changes = changes;
        this.path = path;
        this.maxRetriesPerAction = maxRetriesPerAction;
    }

    public ActionIndex index() {
        return index;
    }

    public ActionReader reader() {
        return reader;
    }

    public Page list(Query query) {
        return index.query(query);
    }

    /** Every match of {@code q} in its order, as the journal stands now (see {@link ActionIndex#matches}). */
    public ActionIndex.Matches matches(Query q) {
        return index.matches(q, journal::size);
    }

    /** The number of actions and the journal size, as they stand together now. */
    public ActionIndex.Counts counts() {
        return index.counts(journal::size);
    }

    /** See {@link Journal#copy}. */
    public io.actionlog.journal.JournalCopy copyJournal(long size, long since, java.nio.file.Path scratch) {
        return journal.copy(size, since, scratch);
    }

    public Row row(long id) {
        return index.row(id);
    }

    /** See {@link ActionIndex#rows}. */
    public Row[] rows(int[] ordinals, int from, int to) {
        return index.rows(ordinals, from, to);
    }

    /** An action found by uuid: its index row and its Created entry, already read. */
    public record Found(Row row, Entry.Created created) {
    }

    /** The action with exactly this uuid, or null. */
    public Found find(UUID uuid) {
        return changes.find(uuid);
    }

    public Action read(Row row, ActionReader.Depth depth) {
        return reader.read(row, depth);
    }

    /** The actions of these rows, in their order (see {@link ActionReader#read(List, ActionReader.Depth)}). */
    public List<Action> read(List<Row> rows, ActionReader.Depth depth) {
        return reader.read(rows, depth);
    }

    public CompletableFuture<Recorded> record(NewAction action) {
        return then(submit(new WriteCommand.Record(List.of(action))), outcomes -> {
            Object outcome = ((List<?>) outcomes).get(0);
            if (outcome instanceof ActionException refused) {
                throw refused;
            }
            return (Recorded) outcome;
        });
    }

    /**
     * What the writer's {@link Writer.Preparer}s can do for a new action before the writer takes it (the Merkle
     * tree's leaf bytes, all but the id), on any thread. For a path that applies commands on this host only; a
     * shared log would not carry it.
     */
    public void workAhead(Function<NewAction, Object> work) {
        this.ahead = work;
    }

    /** Whether {@link #ahead} does anything. */
    public boolean worksAhead() {
        return ahead != null;
    }

    /**
     * That work for one action, on the calling thread: a bulk request's worker, right after it parsed the line, while
     * the action's texts are still in its core's cache, so that the writer, which bulk ingest keeps busiest, does
     * less. Null when there is none. Pass what the actions gave to {@link #recordAll(List, List)}.
     */
    public Object ahead(NewAction action) {
        Function<NewAction, Object> work = ahead;
        return work == null ? null : work.apply(action);
    }

    /**
     * Records many actions. Each item's outcome is its own: a {@link Recorded}, or the {@link ActionException} that
     * refused it (an idempotency conflict). The path may cut the list into several commands (a shared log bounds
     * the size of one); the outcomes come back in the order of the list.
     */
    public CompletableFuture<List<Object>> recordAll(List<NewAction> actions) {
        return recordAll(actions, null);
    }

    /** As {@link #recordAll(List)}, with what {@link #ahead} gave for these actions (or null). */
    public CompletableFuture<List<Object>> recordAll(List<NewAction> actions, List<?> ahead) {
        List<List<NewAction>> parts = path.split(actions);
        List<CompletableFuture<Object>> replies = new ArrayList<>(parts.size());
        int from = 0;
        for (List<NewAction> part : parts) {
            replies.add(path.submit(new WriteCommand.Record(part,
                    ahead == null ? null : ahead.subList(from, from + part.size()))));
            from += part.size();
        }
        CompletableFuture<Object> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .thenApply(done -> done);
        return then(all, done -> {
            List<Object> outcomes = new ArrayList<>(actions.size());
            replies.forEach(reply -> outcomes.addAll((List<?>) reply.join()));
            return outcomes;
        });
    }

    public CompletableFuture<Long> change(long id, StateChange change) {
        return then(submit(new WriteCommand.Change(id, change, Dates.now())), Long.class::cast);
    }

    public CompletableFuture<Long> cancel(long id) {
        return then(submit(new WriteCommand.Cancel(id, Dates.now())), Long.class::cast);
    }

    public CompletableFuture<Long> appendLogs(long id, String text) {
        return then(submit(new WriteCommand.AppendLogs(id, text, Dates.now())), Long.class::cast);
    }

    /** A new Pending action repeating a finished one; completes with the new action's id. */
    public CompletableFuture<Long> retry(long id, String recordedBy) {
        return then(submit(new WriteCommand.Retry(id, recordedBy, UUID.randomUUID(), Dates.now(),
                maxRetriesPerAction)), Long.class::cast);
    }

    private CompletableFuture<Object> submit(WriteCommand command) {
        return path.submit(command);
    }

    /**
     * As {@code thenApply}, but a refusal reaches the reply as itself, not wrapped in a CompletionException, so
     * that the faces' failure handlers see the ActionException that says what went wrong.
     */
    private static <T> CompletableFuture<T> then(CompletableFuture<Object> reply, Function<Object, T> map) {
        CompletableFuture<T> out = new CompletableFuture<>();
        reply.whenComplete((value, failure) -> {
            if (failure != null) {
                out.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
                return;
            }
            try {
                out.complete(map.apply(value));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    /** The journal entry at a position below {@link #journalSize()}; for the streams, which follow the journal. */
    public Entry entry(long position) {
        return journal.read(position);
    }

    public long journalSize() {
        return journal.size();
    }

    /** The oldest journal position still held (retention drops older ones); see {@link Journal#first()}. */
    public long journalFirst() {
        return journal.first();
    }

    public int writesWaiting() {
        return writer.waiting();
    }

    public long journalEntries() {
        return journal.size();
    }

    /**
     * The bytes of data in the journal (what retention counts), measured at most once a second. A measure reads what
     * was written since the last, on a thread of its own, never the caller's (an event loop): the caller gets the
     * last value. The first, which reads every day file, is made at the start ({@link #measureJournal}).
     */
    public long journalBytes() {
        if (System.nanoTime() - journalBytesAt > 1_000_000_000L && measuring.compareAndSet(false, true)) {
            MEASURES.execute(() -> {
                try {
                    measureJournal();
                } catch (RuntimeException e) {
                    long now = System.nanoTime();
                    if (now - measureFailedAt > 60_000_000_000L) {
                        measureFailedAt = now;
                        LOG.log(Level.WARNING, "the journal's size could not be measured (said again at most once a"
                                + " minute): " + e.getMessage(), e);
                    }
                } finally {
                    journalBytesAt = System.nanoTime();
                    measuring.set(false);
                }
            });
        }
        return journalBytes;
    }

    public void measureJournal() {
        journalBytes = journal.dataBytes();
        journalBytesAt = System.nanoTime();
    }

    public List<Row> uuidCandidates(UUID uuid) {
        return index.uuidCandidates(uuid);
    }
}
