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
 * as soon as it has enough lines, or lines of about {@code maxChars} characters, so a tail costs about the entries
 * that hold it, not all logs, and holds a bounded amount of text however long the lines are. The newest line
 * always goes in (one append bounds it); an older one that would go past {@code maxChars} ends the tail.
 * Entries at or above the horizon are skipped: the live feed delivers those.
 */
final class LogTail {
    record Line(String text, long at) {
    }

    record Tail(List<Line> lines, boolean terminal) {
    }

    private LogTail() {
    }

    /** Lines collected newest first, up to a count and about a number of characters. */
    private static final class Lines {
        final List<Line> newestFirst = new ArrayList<>();
        final int wanted;
        final long maxChars;
        long chars;
        boolean full;

        Lines(int wanted, long maxChars) {
            this.wanted = wanted;
            this.maxChars = maxChars;
        }

        void addNewestFirst(String text, long at) {
            List<String> lines = LogLines.split(text);
            for (int i = lines.size() - 1; i >= 0 && !full(); i--) {
                String line = lines.get(i);
                if (!newestFirst.isEmpty() && chars + line.length() > maxChars) {
                    full = true;
                    return;
                }
                chars += line.length();
                newestFirst.add(new Line(line, at));
            }
        }

        boolean full() {
            return full || newestFirst.size() >= wanted;
        }
    }

    static Tail read(ActionStore store, Row row, long horizon, int wanted, long maxChars) {
        Entry.Created created = (Entry.Created) store.entry(row.created());
        Lines lines = new Lines(wanted, maxChars);
        State state = null;
        long position = row.last();
        while (position != row.created() && (state == null || !lines.full())) {
            Entry e = store.entry(position);
            if (position < horizon) {
                if (state == null) {
                    state = stateAt(store, e, created);
                }
                if (e instanceof Entry.LogAppended l && !lines.full()) {
                    lines.addNewestFirst(l.text(), l.at());
                }
            }
            position = e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
        }
        if (state == null) {
            state = State.ofCode(created.state());
        }
        // The logs given at creation carry no time of their own; the action's start is the nearest truth.
        if (!lines.full()) {
            lines.addNewestFirst(created.logs(), created.data().startDate());
        }
        List<Line> tail = lines.newestFirst;
        Collections.reverse(tail);
        return new Tail(tail, state.isTerminal());
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
}
