package io.actionlog.store;

import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.nio.charset.StandardCharsets;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongArrays;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An action's logs read from its chain of journal entries without ever holding all of them: the logs are the
 * Created entry's logs followed by the text of every LogAppended on the chain, and the chain only links backwards
 * (each entry names the action's entry before it). A tail walks back from the newest entry and stops once it has
 * enough bytes, so it costs the entries it shows (plus one), never all logs.
 */
public final class LogChain {
    /** The end of an action's logs: {@code text} ({@code bytes} of UTF-8), and whether anything before it was left out. */
    public record Tail(String text, int bytes, boolean cut) {
    }

    private final Journal journal;

    LogChain(Journal journal) {
        this.journal = journal;
    }

    /**
     * The last {@code maxBytes} bytes (UTF-8) of the logs, or all of them when they are no longer. A cut tail starts
     * after the first line break in it, or at the first whole character when it holds no break (one long line).
     *
     * @param newest the entry at {@code row.last()}, already read by the caller (ignored when it is the Created one)
     */
    public Tail tail(Entry.Created created, Row row, Entry newest, int maxBytes) {
        Deque<byte[]> pieces = new ArrayDeque<>();
        long have = 0;
        long position = row.last();
        Entry e = newest;
        while (have <= maxBytes && position != row.created()) {
            if (e instanceof Entry.LogAppended l) {
                byte[] text = l.text().getBytes(StandardCharsets.UTF_8);
                pieces.addFirst(text);
                have += text.length;
                position = l.previous();
            } else {
                position = ((Entry.StateChanged) e).previous();
            }
            if (have <= maxBytes && position != row.created()) {
                e = journal.read(position);
            }
        }
        if (have <= maxBytes) {
            byte[] text = created.logs().getBytes(StandardCharsets.UTF_8);
            pieces.addFirst(text);
            have += text.length;
        }
        if (have <= maxBytes) {
            byte[] all = join(pieces, 0, (int) have);
            return new Tail(new String(all, StandardCharsets.UTF_8), all.length, false);
        }
        byte[] end = join(pieces, have - maxBytes, maxBytes);
        int start = lineStart(end);
        return new Tail(new String(end, start, end.length - start, StandardCharsets.UTF_8), end.length - start, true);
    }

    /**
     * Where a cut tail starts: after its first line break (unless that ends it), else at its first whole character
     * (a byte that does not continue a UTF-8 sequence), for logs that are one long line.
     */
    private static int lineStart(byte[] end) {
        for (int i = 0; i < end.length - 1; i++) {
            if (end[i] == '\n') {
                return i + 1;
            }
        }
        int i = 0;
        while (i < end.length && (end[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }

    /** The concatenation of the pieces from byte {@code skip} on, {@code n} bytes. */
    private static byte[] join(Deque<byte[]> pieces, long skip, int n) {
        byte[] out = new byte[n];
        int at = 0;
        long toSkip = skip;
        for (byte[] p : pieces) {
            int from = (int) Math.min(p.length, toSkip);
            toSkip -= from;
            int len = Math.min(p.length - from, n - at);
            System.arraycopy(p, from, out, at, len);
            at += len;
        }
        return out;
    }

    /**
     * Positions of the action's log appends as they stand at {@code row}, oldest first: what retention re-records,
     * each with its own time, when it carries the action forward. Reads only the links; 8 bytes an append.
     */
    public LongArrayList appendPositions(Row row) {
        LongArrayList positions = new LongArrayList();
        for (long p = row.last(); p != row.created(); ) {
            Entry e = journal.read(p);
            if (e instanceof Entry.LogAppended l) {
                positions.add(p);
                p = l.previous();
            } else {
                p = ((Entry.StateChanged) e).previous();
            }
        }
        LongArrays.reverse(positions.elements(), 0, positions.size());
        return positions;
    }

    /** Chain entries per segment of {@link Reading}: its memory is a position per segment plus one segment. */
    static final int SEGMENT = 1024;

    /** All of the action's logs as they stand at {@code row}, oldest first, read in steps (see {@link Reading}). */
    public Reading all(Row row) {
        return new Reading(row, true);
    }

    /** As {@link #all}, without the Created entry's logs: for a reader that has that entry at hand already. */
    public Reading appended(Row row) {
        return new Reading(row, false);
    }

    /**
     * All logs of an action, oldest first, a step at a time. The chain links backwards, so the first step walks it
     * once without decoding texts and keeps the position of every {@link #SEGMENT}th entry; each segment is then
     * walked back again from its mark and read forwards. Memory: those marks, one segment's positions and one
     * step's text, whatever the number and size of the appends. Steps block on journal reads: run them on a worker
     * thread, one after the other.
     */
    public final class Reading {
        private final Row row;
        private final boolean withCreated;
        private LongArrayList marks;
        private int nextMark;
        private long[] segment = new long[0];
        private int segmentNext;

        private Reading(Row row, boolean withCreated) {
            this.row = row;
            this.withCreated = withCreated;
        }

        /** The next pieces of text, about {@code maxChars} or one piece more; empty once everything was given. */
        public List<String> next(int maxChars) {
            List<String> out = new ArrayList<>();
            long have = 0;
            if (marks == null) {
                mark();
                String first = withCreated ? ((Entry.Created) journal.read(row.created())).logs() : "";
                if (!first.isEmpty()) {
                    out.add(first);
                    have = first.length();
                }
            }
            while (have < maxChars) {
                if (segmentNext == segment.length) {
                    if (nextMark < 0) {
                        break;
                    }
                    loadSegment(nextMark--);
                }
                if (journal.read(segment[segmentNext++]) instanceof Entry.LogAppended l && !l.text().isEmpty()) {
                    out.add(l.text());
                    have += l.text().length();
                }
            }
            return out;
        }

        private void mark() {
            marks = new LongArrayList();
            long n = 0;
            for (long p = row.last(); p != row.created(); p = previous(journal.readLinks(p)), n++) {
                if (n % SEGMENT == 0) {
                    marks.add(p);
                }
            }
            nextMark = marks.size() - 1;
        }

        /** The positions from mark {@code i} back to the next older mark (or the Created entry), oldest first. */
        private void loadSegment(int i) {
            long stop = i + 1 < marks.size() ? marks.getLong(i + 1) : row.created();
            LongArrayList positions = new LongArrayList(SEGMENT);
            for (long p = marks.getLong(i); p != stop; p = previous(journal.readLinks(p))) {
                positions.add(p);
            }
            segment = new long[positions.size()];
            for (int k = 0; k < segment.length; k++) {
                segment[k] = positions.getLong(segment.length - 1 - k);
            }
            segmentNext = 0;
        }
    }

    /** The position of the action's entry before {@code e}, a StateChanged or LogAppended. */
    static long previous(Entry e) {
        return e instanceof Entry.LogAppended l ? l.previous() : ((Entry.StateChanged) e).previous();
    }
}
