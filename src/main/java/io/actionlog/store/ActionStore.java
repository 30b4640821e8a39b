package io.actionlog.store;

import io.actionlog.action.Action;
import io.actionlog.action.ActionData;
import io.actionlog.action.ActionException;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.action.StateChange;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Page;
import io.actionlog.index.Query;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP faces and streams use: reads straight from the index and the journal, and writes as commands to
 * the {@link Writer}. Every write command re-checks the action's state on the writer thread, where no other
 * change can interleave. Each write completes with the id of the action it touched.
 */
public final class ActionStore {
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
    private final int maxRetriesPerAction;
    private volatile long journalBytes = -1;
    private volatile long journalBytesAt;

    /** {@code maxRetriesPerAction}: configuration key retry.max_per_action. */
    public ActionStore(Journal journal, ActionIndex index, Writer writer, int maxRetriesPerAction) {
        this.journal = journal;
        this.index = index;
        this.reader = new ActionReader(journal);
        this.writer = writer;
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

    /** An action found by uuid: its index row and its Created entry, already read. */
    public record Found(Row row, Entry.Created created) {
    }

    /** The action with exactly this uuid, or null. */
    public Found find(UUID uuid) {
        for (Row row : index.uuidCandidates(uuid)) {
            Entry.Created c = reader.created(row);
            if (c.data().uuid().equals(uuid)) {
                return new Found(row, c);
            }
        }
        return null;
    }

    public Action read(Row row, ActionReader.Depth depth) {
        return reader.read(row, depth);
    }

    /** The actions of these rows, in their order (see {@link ActionReader#read(List, ActionReader.Depth)}). */
    public List<Action> read(List<Row> rows, ActionReader.Depth depth) {
        return reader.read(rows, depth);
    }

    public CompletableFuture<Recorded> record(NewAction action) {
        return writer.submit(appender -> recordOne(appender, action));
    }

    private Recorded recordOne(Writer.Appender appender, NewAction action) {
        UUID uuid = action.data().uuid();
        Found existing = action.supplied().contains(io.actionlog.action.ActionField.UUID.apiName()) ? find(uuid) : null;
        if (existing != null) {
            if (!Idempotency.sameContent(action, existing.created())) {
                throw ActionException.conflict("uuid " + uuid + " is already recorded with other content");
            }
            return new Recorded(existing.row().id(), false, existing.created());
        }
        long id = index.size() + 1L;
        Entry.Created created = Entries.created(id, action);
        appender.append(created);
        return new Recorded(id, true, created);
    }

    /**
     * Records many actions in one writer command (one write lock, one durability point). Each item's outcome is
     * its own: a {@link Recorded}, or the {@link ActionException} that refused it (an idempotency conflict).
     */
    public CompletableFuture<List<Object>> recordAll(List<NewAction> actions) {
        return writer.submit(appender -> {
            List<Object> outcomes = new java.util.ArrayList<>(actions.size());
            for (NewAction action : actions) {
                try {
                    outcomes.add(recordOne(appender, action));
                } catch (ActionException e) {
                    outcomes.add(e);
                }
            }
            return outcomes;
        });
    }

    public CompletableFuture<Long> change(long id, StateChange change) {
        return writer.submit(appender -> move(appender, id, change));
    }

    public CompletableFuture<Long> cancel(long id) {
        return writer.submit(appender -> {
            State current = State.ofCode(current(id).state());
            if (!current.canBeCanceled()) {
                throw ActionException.conflict("action is " + current.label + ": only Pending or In progress can be canceled");
            }
            return move(appender, id, new StateChange(State.CANCELING, null, null, Long.MIN_VALUE));
        });
    }

    public CompletableFuture<Long> appendLogs(long id, String text) {
        return writer.submit(appender -> {
            Row row = current(id);
            State state = State.ofCode(row.state());
            if (state.isTerminal()) {
                throw ActionException.conflict("action is " + state.label + ": its logs are closed");
            }
            long stateEntry = ActionReader.stateEntryOf(row.last(), journal.read(row.last()));
            appender.append(new Entry.LogAppended(id, row.last(), stateEntry, Dates.now(), text));
            return id;
        });
    }

    /**
     * A new Pending action repeating a finished one; completes with the new action's id. Each retry copies the
     * body, so the number of retries of one action is bounded; the count comes from the index, which rebuilds it
     * from the journal at start, and is checked here on the writer thread, so concurrent retries cannot pass it.
     */
    public CompletableFuture<Long> retry(long id, String recordedBy) {
        return writer.submit(appender -> {
            Row row = current(id);
            State state = State.ofCode(row.state());
            if (!state.isTerminal()) {
                throw ActionException.conflict("action is " + state.label + ": only a finished action can be retried");
            }
            Entry.Created c = reader.created(row);
            ActionData d = c.data();
            if (index.retriesOf(d.uuid()) >= maxRetriesPerAction) {
                throw new ActionException(ActionException.Kind.TOO_MANY, "action " + d.uuid() + " has been retried "
                        + maxRetriesPerAction + " times, the most allowed (retry.max_per_action)");
            }
            ActionData repeated = new ActionData(UUID.randomUUID(), d.user(), d.action(), d.method(), d.path(),
                    d.object(), d.parents(), "", "unknown", "", d.body(), Dates.now(), d.userAction(), d.uuid(),
                    recordedBy);
            NewAction again = new NewAction(repeated, State.PENDING, Entry.NO_TIME, "", "", "{}", Set.of());
            long newId = index.size() + 1L;
            appender.append(Entries.created(newId, again));
            return newId;
        });
    }

    private long move(Writer.Appender appender, long id, StateChange change) {
        Row row = current(id);
        State from = State.ofCode(row.state());
        if (!from.canMoveTo(change.state())) {
            throw ActionException.conflict("cannot move from " + from.label + " to " + change.state().label
                    + (from.isTerminal() ? ": a finished action never changes state" : ""));
        }
        String error = change.error();
        String metadata = change.metadata();
        if (error == null || metadata == null) {
            Action now = reader.read(row, ActionReader.Depth.CURRENT);
            error = error != null ? error : now.error();
            metadata = metadata != null ? metadata : now.metadata();
        }
        long at = Dates.now();
        long start = index.startDate(id);
        if (change.endDate() != Long.MIN_VALUE) {
            ActionRequests.requireNotBefore(change.endDate(), start);
        }
        long end = !change.state().isTerminal() ? Entry.NO_TIME
                : change.endDate() != Long.MIN_VALUE ? change.endDate() : Math.max(at, start);
        appender.append(new Entry.StateChanged(id, row.last(), change.state().code, at, end, error, metadata));
        return id;
    }

    private Row current(long id) {
        Row row = index.row(id);
        if (row == null) {
            throw ActionException.notFound();
        }
        return row;
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

    /** The journal's size on disk, measured at most once a second (it lists the directory). */
    public long journalBytes() {
        long now = System.nanoTime();
        if (now - journalBytesAt > 1_000_000_000L || journalBytes < 0) {
            journalBytes = journal.diskBytes();
            journalBytesAt = now;
        }
        return journalBytes;
    }

    public List<Row> uuidCandidates(UUID uuid) {
        return index.uuidCandidates(uuid);
    }
}
