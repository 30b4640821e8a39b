package io.actionlog.store;

import io.actionlog.action.Action;
import io.actionlog.action.ActionData;
import io.actionlog.action.ActionException;
import io.actionlog.action.ActionField;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.action.StateChange;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The state machine of actions: what a {@link WriteCommand} appends, decided from the index and the journal as they
 * stand on the writer thread, where no other change can interleave. It reads no clock and draws no random number:
 * the same commands applied in the same order to the same journal give the same entries, which is what lets every
 * node of a cluster apply one shared log on its own.
 */
public final class ActionChanges {
    private final Journal journal;
    private final ActionIndex index;
    private final ActionReader reader;

    public ActionChanges(Journal journal, ActionIndex index, ActionReader reader) {
        this.journal = journal;
        this.index = index;
        this.reader = reader;
    }

    /**
     * Applies one command: a Record gives the list of its actions' outcomes ({@link ActionStore.Recorded} or the
     * {@link ActionException} that refused one); the others give the id of the action they changed, or throw the
     * refusal. An exception other than an ActionException means the journal could not take an entry.
     */
    public Object apply(WriteCommand command, Writer.Appender appender) {
        if (command instanceof WriteCommand.Record r) {
            return recordAll(appender, r.actions(), r.ahead());
        } else if (command instanceof WriteCommand.Change c) {
            return move(appender, c.id(), c.change(), c.at());
        } else if (command instanceof WriteCommand.Cancel c) {
            return cancel(appender, c);
        } else if (command instanceof WriteCommand.AppendLogs a) {
            return appendLogs(appender, a);
        }
        return retry(appender, (WriteCommand.Retry) command);
    }

    private List<Object> recordAll(Writer.Appender appender, List<NewAction> actions, List<?> ahead) {
        List<Object> outcomes = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            try {
                outcomes.add(recordOne(appender, actions.get(i), ahead == null ? null : ahead.get(i)));
            } catch (ActionException e) {
                outcomes.add(e);
            }
        }
        return outcomes;
    }

    private ActionStore.Recorded recordOne(Writer.Appender appender, NewAction action, Object ahead) {
        UUID uuid = action.data().uuid();
        ActionStore.Found existing = action.supplied().contains(ActionField.UUID.apiName()) ? find(uuid) : null;
        if (existing != null) {
            if (!Idempotency.sameContent(action, existing.created())) {
                throw ActionException.conflict("uuid " + uuid + " is already recorded with other content");
            }
            return new ActionStore.Recorded(existing.row().id(), false, existing.created());
        }
        long id = index.size() + 1L;
        Entry.Created created = Entries.created(id, action);
        appender.append(created, ahead);
        return new ActionStore.Recorded(id, true, created);
    }

    ActionStore.Found find(UUID uuid) {
        for (Row row : index.uuidCandidates(uuid)) {
            Entry.Created c = reader.created(row);
            if (c.data().uuid().equals(uuid)) {
                return new ActionStore.Found(row, c);
            }
        }
        return null;
    }

    private long cancel(Writer.Appender appender, WriteCommand.Cancel c) {
        State current = State.ofCode(current(c.id()).state());
        if (!current.canBeCanceled()) {
            throw ActionException.conflict("action is " + current.label + ": only Pending or In progress can be canceled");
        }
        return move(appender, c.id(), new StateChange(State.CANCELING, null, null, Long.MIN_VALUE), c.at());
    }

    private long appendLogs(Writer.Appender appender, WriteCommand.AppendLogs a) {
        Row row = current(a.id());
        State state = State.ofCode(row.state());
        if (state.isTerminal()) {
            throw ActionException.conflict("action is " + state.label + ": its logs are closed");
        }
        if (a.text().isEmpty()) {
            // Nothing to add, so nothing is written: a detail reads the logs' end back one entry at a time, and a
            // chain of empty entries would cost it a read each, however many a client sent.
            return a.id();
        }
        long stateEntry = ActionReader.stateEntryOf(row.last(), journal.read(row.last()));
        appender.append(new Entry.LogAppended(a.id(), row.last(), stateEntry, a.at(), a.text()));
        return a.id();
    }

    /**
     * Each retry copies the body, so the number of retries of one action is bounded; the count comes from the
     * index, which rebuilds it from the journal at start, and is checked here, so concurrent retries cannot pass it.
     */
    private long retry(Writer.Appender appender, WriteCommand.Retry r) {
        Row row = current(r.id());
        State state = State.ofCode(row.state());
        if (!state.isTerminal()) {
            throw ActionException.conflict("action is " + state.label + ": only a finished action can be retried");
        }
        ActionData d = reader.created(row).data();
        if (index.retriesOf(d.uuid()) >= r.maxRetries()) {
            throw new ActionException(ActionException.Kind.TOO_MANY, "action " + d.uuid() + " has been retried "
                    + r.maxRetries() + " times, the most allowed (retry.max_per_action)");
        }
        ActionData repeated = new ActionData(r.uuid(), d.user(), d.action(), d.method(), d.path(),
                d.object(), d.parents(), "", "unknown", "", d.body(), r.at(), d.userAction(), d.uuid(),
                r.recordedBy());
        NewAction again = new NewAction(repeated, State.PENDING, Entry.NO_TIME, "", "", "{}", Set.of());
        long newId = index.size() + 1L;
        appender.append(Entries.created(newId, again));
        return newId;
    }

    private long move(Writer.Appender appender, long id, StateChange change, long at) {
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
        long start = index.startDate(id);
        long end = !change.state().isTerminal() ? Entry.NO_TIME
                : change.endDate() != Long.MIN_VALUE ? ActionRequests.notBefore(change.endDate(), start)
                : Math.max(at, start);
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
}
