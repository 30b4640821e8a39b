package io.actionlog.stream;

import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The last lines of an action's logs as they stood just below a journal position (the feed's horizon), and
 * whether the action was finished there. Walks the action's chain of entries backwards from the newest and stops
 * as soon as it has enough lines, so a tail of 300 lines costs about the entries that hold them, not all logs.
 * Entries at or above the horizon are skipped: the live feed delivers those.
 */
final class LogTail {
    record Line(String text, long at) {
    }

    record Tail(List<Line> lines, boolean terminal) {
    }

    private LogTail() {
    }

    static Tail read(ActionStore store, Row row, long horizon, int wanted) {
        Entry.Created created = (Entry.Created) store.entry(row.created());
        List<Line> newestFirst = new ArrayList<>();
        State state = null;
        long position = row.last();
        while (position != row.created() && (state == null || newestFirst.size() < wanted)) {
            Entry e = store.entry(position);
            if (position < horizon) {
                if (state == null) {
                    state = stateAt(store, e, created);
                }
                if (e instanceof Entry.LogAppended l) {
                    addNewestFirst(newestFirst, l.text(), l.at(), wanted);
                }
            }
            position = e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
        }
        if (state == null) {
            state = State.ofCode(created.state());
        }
        // The logs given at creation carry no time of their own; the action's start is the nearest truth.
        addNewestFirst(newestFirst, created.logs(), created.startDate(), wanted);
        Collections.reverse(newestFirst);
        return new Tail(newestFirst, state.isTerminal());
    }

    /** The state after entry {@code e}: its own, or the newest StateChanged it points to, or the created one. */
    private static State stateAt(ActionStore store, Entry e, Entry.Created created) {
        if (e instanceof Entry.StateChanged s) {
            return State.ofCode(s.state());
        }
        long stateEntry = ((Entry.LogAppended) e).stateEntry();
        return stateEntry == Entry.NO_POSITION ? State.ofCode(created.state())
                : State.ofCode(((Entry.StateChanged) store.entry(stateEntry)).state());
    }

    private static void addNewestFirst(List<Line> out, String text, long at, int wanted) {
        List<String> lines = LogLines.split(text);
        for (int i = lines.size() - 1; i >= 0 && out.size() < wanted; i--) {
            out.add(new Line(lines.get(i), at));
        }
    }
}
