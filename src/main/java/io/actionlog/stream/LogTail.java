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
 * whether the action was finished there. Lines are those of the whole text ({@link LogLines}), so the pieces
 * that hold them are read newest first until they hold enough newlines (one more than the lines wanted, so that
 * the oldest line's start is known) or about {@code maxChars} characters, then joined oldest first: a tail costs
 * about the entries that hold it, not all logs, and holds a bounded amount of text however long the lines are.
 * The newest line always goes in; an older one that would go past {@code maxChars} ends the tail. Entries at or
 * above the horizon are skipped: the live feed delivers those. Lines finished at or after {@code since} (the
 * feed's horizon when the stream was asked for, which its start follows) are owed whatever the count: the stream
 * was open for them. More of those than {@code maxChars} is an overflow, as on the live side. Text after the last
 * newline is the last line when the action is finished or the stream does not follow; otherwise it is handed to
 * the live side ({@link Tail#open}), which sends it with the rest of its line.
 */
final class LogTail {
    record Line(String text, long at) {
    }

    /** {@code open}: the unfinished last line a follower is handed, written at {@code openAt}. */
    record Tail(List<Line> lines, boolean terminal, boolean overflowed, String open, long openAt) {
    }

    /** A piece of logs text: the initial logs or an append, with its time and whether the stream was open for it. */
    private record Piece(String text, long at, boolean owed) {
    }

    /**
     * Appends read back beyond one per line wanted, before the owed ones: logs written a character an append (a
     * progress bar) would otherwise make a tail of one line read millions on an event loop. Past it, the tail
     * begins inside a line, as it does past {@code maxChars}. Entries with no text (state changes, empty appends)
     * count toward four times as many.
     */
    static final int MAX_WALK = 10_000;
    /** Entries looked at past a bound to learn whether what was read begins a line. */
    private static final int PEEK = 100;
    /** Owed text held past twice the bound before the tail is known to overflow: one append's most, and more. */
    private static final long OWED_SLACK = 1 << 20;

    private LogTail() {
    }

    /** {@code entries}: the journal's entry at a position (the store's). */
    static Tail read(LongFunction<Entry> entries, Row row, long since, long horizon, int wanted, long maxChars,
            boolean follow) {
        Entry.Created created = (Entry.Created) entries.apply(row.created());
        if (row.created() >= horizon && !created.carried()) {
            // Indexed but not yet published: the live side delivers the whole action, its creation included.
            // (Not a copy retention carried forward: that one holds the action's state, and the tail reads it.)
            return new Tail(List.of(), false, false, "", 0);
        }
        List<Piece> newestFirst = new ArrayList<>();
        State state = null;
        long chars = 0;
        long owedChars = 0;
        long newlines = 0;
        long walked = 0;
        long pieces = 0;
        long position = row.last();
        while (position != row.created()) {
            if (state != null && position < since && (newlines > wanted || chars > maxChars
                    || pieces >= wanted + MAX_WALK || walked >= wanted + 4L * MAX_WALK)) {
                break;
            }
            Entry e = entries.apply(position);
            if (position < since) {
                walked++;
                pieces += e instanceof Entry.LogAppended l && !l.text().isEmpty() ? 1 : 0;
            }
            if (position < horizon) {
                if (state == null) {
                    state = stateAt(entries, e, created);
                }
                if (e instanceof Entry.LogAppended l && !l.text().isEmpty()) {
                    boolean owed = position >= since;
                    newestFirst.add(new Piece(l.text(), l.at(), owed));
                    // Characters of the lines, newlines left out, as the bound counts a line's.
                    long n = newlines(l.text());
                    if (owed) {
                        owedChars += l.text().length() - n;
                    } else {
                        chars += l.text().length() - n;
                        newlines += n;
                    }
                }
            }
            if (owedChars > 2 * maxChars + OWED_SLACK) {
                // Far more than pick could send: no need to hold it all to say so.
                return new Tail(List.of(), false, true, "", 0);
            }
            position = e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
        }
        boolean fromStart = position == row.created();
        if (fromStart) {
            // The logs given at creation carry no time of their own; the action's start is the nearest truth.
            newestFirst.add(new Piece(created.logs(), created.data().startDate(), row.created() >= since));
        }
        if (state == null) {
            state = State.ofCode(created.state());
        }
        Collections.reverse(newestFirst);
        boolean lineStart = fromStart || endsALine(entries, position, row.created(), created);
        return pick(join(newestFirst, lineStart, !follow || state.isTerminal()), wanted, maxChars, state);
    }

    /**
     * Whether the text before {@code position} (not read) ends with a newline, so that what was read begins a
     * line: looked for over at most {@link #PEEK} entries (state changes, empty appends); past them, not known.
     */
    private static boolean endsALine(LongFunction<Entry> entries, long position, long createdAt,
                                     Entry.Created created) {
        for (int i = 0; i < PEEK; i++) {
            if (position == createdAt) {
                return created.logs().isEmpty() || created.logs().endsWith("\n");
            }
            Entry e = entries.apply(position);
            if (e instanceof Entry.LogAppended l && !l.text().isEmpty()) {
                return l.text().endsWith("\n");
            }
            position = e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
        }
        return false;
    }

    /** The lines joined, each with its piece's time (the piece holding its newline) and whether it is owed. */
    private static Joined join(List<Piece> oldestFirst, boolean lineStart, boolean ended) {
        List<Line> lines = new ArrayList<>();
        List<Boolean> owed = new ArrayList<>();
        // Read from inside a line, its start is not known: the text up to its newline is left out, unless that line
        // is owed (it ended after the stream was asked for: sent as far as it was read, never dropped) or it is the
        // newest line (shown always, from where it was read), as is a line longer than all that was read.
        int first = 0;
        int at = 0;
        for (int i = 0; !lineStart && i < oldestFirst.size(); i++) {
            int nl = oldestFirst.get(i).text().indexOf('\n');
            if (nl >= 0) {
                if (!oldestFirst.get(i).owed() && lineAfter(oldestFirst, i, nl + 1, ended)) {
                    first = i;
                    at = nl + 1;
                }
                break;
            }
        }
        LogLines joiner = new LogLines("");
        Piece last = null;
        for (int i = first; i < oldestFirst.size(); i++) {
            Piece p = oldestFirst.get(i);
            for (String line : joiner.add(i == first ? p.text().substring(at) : p.text())) {
                lines.add(new Line(line, p.at()));
                owed.add(p.owed());
            }
            last = p;
        }
        String open = "";
        long openAt = 0;
        if (last != null) {
            if (ended) {
                String rest = joiner.rest();
                if (rest != null) {
                    lines.add(new Line(rest, last.at()));
                    owed.add(last.owed());
                }
            } else {
                open = joiner.held();
                openAt = last.at();
            }
        }
        return new Joined(lines, owed, open, openAt);
    }

    /** Whether a line the tail shows lies after {@code at} of piece {@code i}: a newline, or text an ended stream shows. */
    private static boolean lineAfter(List<Piece> oldestFirst, int i, int at, boolean ended) {
        for (int k = i; k < oldestFirst.size(); k++) {
            String text = oldestFirst.get(k).text();
            int from = k == i ? at : 0;
            if (text.indexOf('\n', from) >= 0 || ended && from < text.length()) {
                return true;
            }
        }
        return false;
    }

    private record Joined(List<Line> lines, List<Boolean> owed, String open, long openAt) {
    }

    /** All owed lines, then, going back, up to {@code wanted} more while they fit in {@code maxChars}. */
    private static Tail pick(Joined j, int wanted, long maxChars, State state) {
        int n = j.lines().size();
        int from = n;
        long chars = 0;
        while (from > 0 && j.owed().get(from - 1)) {
            chars += j.lines().get(--from).text().length();
            if (chars > maxChars && from < n - 1) {
                return new Tail(List.of(), state.isTerminal(), true, "", 0);
            }
        }
        int counted = 0;
        while (from > 0 && counted < wanted) {
            String line = j.lines().get(from - 1).text();
            if (from < n && chars + line.length() > maxChars) {
                break;
            }
            chars += line.length();
            counted++;
            from--;
        }
        return new Tail(new ArrayList<>(j.lines().subList(from, n)), state.isTerminal(), false, j.open(), j.openAt());
    }

    private static long newlines(String text) {
        long n = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
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
