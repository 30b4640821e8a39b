package io.actionlog.stream;

import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The last lines of an action's logs as they stood just below a journal position (the feed's horizon), and
 * whether the action was finished there. Walks the action's chain of entries backwards from the newest and stops
 * as soon as it has enough lines, or lines of about {@code maxChars} characters, so a tail costs about the entries
 * that hold it, not all logs, and holds a bounded amount of text however long the lines are. The newest line
 * always goes in (one append bounds it); an older one that would go past {@code maxChars} ends the tail.
 * Entries at or above the horizon are skipped: the live feed delivers those. Lines appended at or after
 * {@code since} (the feed's horizon when the stream was asked for, which its start follows) are owed whatever the
 * count: the stream was open for them. More of those than {@code maxChars} is an overflow, as on the live side.
 */
final class LogTail {
    record Line(String text, long at) {
    }

    record Tail(List<Line> lines, boolean terminal, boolean overflowed) {
    }

    private LogTail() {
    }

    /** Lines collected newest first: all the owed ones, then up to a count, and about a number of characters. */
    private static final class Lines {
        final List<Line> newestFirst = new ArrayList<>();
        final int wanted;
        final long maxChars;
        long chars;
        int counted;
        boolean full;
        boolean overflowed;

        Lines(int wanted, long maxChars) {
            this.wanted = wanted;
            this.maxChars = maxChars;
        }

        /** Lines the stream was open for: all of them, or an overflow past {@code maxChars}. */
        void addOwed(String text, long at) {
            List<String> lines = LogLines.split(text);
            for (int i = lines.size() - 1; i >= 0 && !overflowed; i--) {
                chars += lines.get(i).length();
                overflowed = chars > maxChars && !newestFirst.isEmpty();
                newestFirst.add(new Line(lines.get(i), at));
            }
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
                counted++;
                newestFirst.add(new Line(line, at));
            }
        }

        boolean full() {
            return full || overflowed || counted >= wanted;
        }
    }

    /** {@code entries}: the journal's entry at a position (the store's). */
    static Tail read(LongFunction<Entry> entries, Row row, long since, long horizon, int wanted, long maxChars) {
        Entry.Created created = (Entry.Created) entries.apply(row.created());
        Lines lines = new Lines(wanted, maxChars);
        State state = null;
        long position = row.last();
        while (position != row.created() && (state == null || position >= since || !lines.full())
                && !lines.overflowed) {
            Entry e = entries.apply(position);
            if (position < horizon) {
                if (state == null) {
                    state = stateAt(entries, e, created);
                }
                if (e instanceof Entry.LogAppended l) {
                    if (position >= since) {
                        lines.addOwed(l.text(), l.at());
                    } else if (!lines.full()) {
                        lines.addNewestFirst(l.text(), l.at());
                    }
                }
            }
            position = e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
        }
        if (state == null) {
            state = State.ofCode(created.state());
        }
        // The logs given at creation carry no time of their own; the action's start is the nearest truth.
        if (row.created() >= since && row.created() < horizon) {
            lines.addOwed(created.logs(), created.data().startDate());
        } else if (!lines.full()) {
            lines.addNewestFirst(created.logs(), created.data().startDate());
        }
        List<Line> tail = lines.newestFirst;
        Collections.reverse(tail);
        return new Tail(tail, state.isTerminal(), lines.overflowed);
    }

    /** The state after entry {@code e}: its own, or the newest StateChanged it points to, or the created one. */
    private static State stateAt(LongFunction<Entry> entries, Entry e, Entry.Created created) {
        if (e instanceof Entry.StateChanged s) {
            return State.ofCode(s.state());
        }
        long stateEntry = ((Entry.LogAppended) e).stateEntry();
        return stateEntry == Entry.NO_POSITION ? State.ofCode(created.state())
                : State.ofCode(((Entry.StateChanged) entries.apply(stateEntry)).state());
    }
}
