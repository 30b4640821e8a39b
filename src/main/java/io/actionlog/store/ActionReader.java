package io.actionlog.store;

import io.actionlog.action.Action;
import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Assembles an action from its journal entries, using the positions of a {@link Row} captured from the index.
 * State and end date come from the row; the rest from the Created entry, the newest StateChanged (error and
 * metadata) and, for a detail, the end of the logs from the chain of LogAppended entries ({@link LogChain}): never
 * all logs, whose size only the journal bounds.
 */
public final class ActionReader {
    /** How much of an action to read: each step costs more journal reads. */
    public enum Depth { RECORDED, CURRENT }

    /** An action as a detail shows it: its logs are {@code logs.text()}, their end only when {@code logs.cut()}. */
    public record Detail(Action action, LogChain.Tail logs) {
    }

    private final Journal journal;
    private final LogChain logs;

    public ActionReader(Journal journal) {
        this.journal = journal;
        this.logs = new LogChain(journal);
    }

    public LogChain logs() {
        return logs;
    }

    public Entry.Created created(Row row) {
        return (Entry.Created) journal.read(row.created());
    }

    public Action read(Row row, Depth depth) {
        return read(row, depth, created(row));
    }

    /** The Created entries of a page's rows, holding at most {@code budgetBytes} of them (see {@link PageEntries}). */
    public PageEntries page(List<Row> rows, long budgetBytes) {
        return new PageEntries(journal, rows, budgetBytes);
    }

    /**
     * A row's Created entry as bytes, with the newest state change when the action has one: its error and metadata
     * replace the recorded ones.
     */
    public record Current(CreatedBytes created, Entry.StateChanged change) {
    }

    /**
     * The row's Created entry into {@code into} when it takes at most {@code maxBytes} (else false, {@code into}
     * unchanged); see {@link Journal#readCreated(long, CreatedBytes, int)}.
     */
    public boolean readCreated(Row row, CreatedBytes into, int maxBytes) {
        return journal.readCreated(row.created(), into, maxBytes);
    }

    /** The row's newest state change (its error and metadata replace the recorded ones), or null when it has none. */
    public Entry.StateChanged stateChange(Row row) {
        return row.last() == row.created() ? null : newestStateChange(journal.read(row.last()));
    }

    /** What a list that shows error and metadata needs of a row whose Created entry is at hand. */
    public Current current(CreatedBytes created, Row row) {
        return new Current(created, stateChange(row));
    }

    /**
     * The actions of a page, in the page's order. Their Created entries are read in journal order: a page of
     * neighbours (a date range, newest first) then reads forward from one entry to the next instead of looking
     * each one up.
     */
    public List<Action> read(List<Row> rows, Depth depth) {
        Action[] actions = new Action[rows.size()];
        for (int i : journalOrder(rows)) {
            actions[i] = read(rows.get(i), depth);
        }
        return Arrays.asList(actions);
    }

    /** Indexes into rows, ordered by the position of the row's Created entry. */
    static Integer[] journalOrder(List<Row> rows) {
        Integer[] order = new Integer[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> rows.get(i).created()));
        return order;
    }

    /** As {@link #read(Row, Depth)}, when the caller has already read the action's Created entry. */
    public Action read(Row row, Depth depth, Entry.Created c) {
        Entry.StateChanged s = depth != Depth.RECORDED && row.last() != row.created()
                ? newestStateChange(journal.read(row.last())) : null;
        return assemble(row, c, s, null);
    }

    /**
     * The action with the last {@code maxLogBytes} of its logs (see {@link LogChain#tail}), read from the newest
     * entry backwards: what a detail and the reply to a write show.
     */
    public Detail detail(Row row, Entry.Created c, int maxLogBytes) {
        Entry newest = row.last() == row.created() ? c : journal.read(row.last());
        LogChain.Tail tail = logs.tail(c, row, newest, maxLogBytes);
        return new Detail(assemble(row, c, newestStateChange(newest), tail.text()), tail);
    }

    private static Action assemble(Row row, Entry.Created c, Entry.StateChanged s, String logs) {
        String error = s != null ? s.error() : c.error();
        String metadata = s != null ? s.metadata() : c.metadata();
        return new Action(c.id(), c.data(), State.ofCode(row.state()), row.endDate(), logs, error, metadata);
    }

    /**
     * The row as it stood when the journal held its first {@code journalSize} entries, the action's Created entry
     * among them: its later entries are stepped over (reading only their links), and state and end date are those
     * of the newest state change left, else of the Created entry. A row whose Created entry comes later is a copy
     * that retention carried forward since: the entries it stood on then are gone, so it is taken as it stands.
     */
    public Row asOf(Row row, long journalSize) {
        if (row.last() < journalSize || row.created() >= journalSize) {
            return row;
        }
        long p = row.last();
        while (p >= journalSize) {
            p = LogChain.previous(journal.readLinks(p));
        }
        Entry.StateChanged s = p == row.created() ? null : newestStateChange(journal.read(p));
        if (s != null) {
            return new Row(row.ordinal(), row.created(), p, s.state(), s.endDate());
        }
        Entry.Created c = created(row);
        return new Row(row.ordinal(), row.created(), p, c.state(), c.endDate());
    }

    /** Position of the newest StateChanged at or before {@code newest}, or NO_POSITION. */
    public static long stateEntryOf(long position, Entry newest) {
        if (newest instanceof Entry.StateChanged) {
            return position;
        }
        return newest instanceof Entry.LogAppended l ? l.stateEntry() : Entry.NO_POSITION;
    }

    private Entry.StateChanged newestStateChange(Entry newest) {
        if (newest instanceof Entry.StateChanged s) {
            return s;
        }
        if (newest instanceof Entry.LogAppended l && l.stateEntry() != Entry.NO_POSITION) {
            return (Entry.StateChanged) journal.read(l.stateEntry());
        }
        return null;
    }
}
