package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A logs stream's tail: the last lines below the feed's horizon, and every line appended since the stream was asked
 * for (its start follows the upgrade, and a client may append as soon as it has the upgrade's answer).
 */
class LogTailTest {
    private static final ActionData DATA = new ActionData(UUID.randomUUID(), "alice", "Deploy", "POST", "/p/", "/o/",
            List.of(), "10.0.0.1", "Tallinn, EE", "agent", "{}", 1_700_000_000_000_000L, true, null, "rec");
    /** 0: created with one line of logs; 1, 2 and 3: appends of two, one and two lines. */
    private static final List<Entry> JOURNAL = List.of(
            new Entry.Created(1, DATA, State.IN_PROGRESS.code, Entry.NO_TIME, "boot\n", "", "{}"),
            new Entry.LogAppended(1, 0, Entry.NO_POSITION, 1, "a1\na2\n"),
            new Entry.LogAppended(1, 1, Entry.NO_POSITION, 2, "b1\n"),
            new Entry.LogAppended(1, 2, Entry.NO_POSITION, 3, "c1\nc2\n"));
    private static final Row ROW = new Row(0, 0, 3, State.IN_PROGRESS.code, Entry.NO_TIME);

    private static LogTail.Tail read(long since, long horizon, int wanted, long maxChars) {
        return LogTail.read(p -> JOURNAL.get((int) p), ROW, since, horizon, wanted, maxChars, true);
    }

    private static List<String> texts(LogTail.Tail tail) {
        return tail.lines().stream().map(LogTail.Line::text).toList();
    }

    @Test
    void linesAppendedSinceTheStreamWasAskedForComeWhateverTheTailAsked() {
        assertEquals(List.of("b1", "c1", "c2"), texts(read(2, 4, 0, 1000)));
        assertEquals(List.of("a2", "b1", "c1", "c2"), texts(read(2, 4, 1, 1000)));
        assertEquals(List.of("boot", "a1", "a2", "b1", "c1", "c2"), texts(read(0, 4, 0, 1000)));
    }

    @Test
    void withNothingAppendedSinceTheTailIsTheLastLinesBelowTheHorizon() {
        assertEquals(List.of("c1", "c2"), texts(read(4, 4, 2, 1000)));
        assertEquals(List.of("b1"), texts(read(3, 3, 1, 1000)));
        assertEquals(List.of(), texts(read(4, 4, 0, 1000)));
    }

    @Test
    void linesOwedBeyondTheBytesASocketMayHaveWaitingAreAnOverflowNotADrop() {
        LogTail.Tail tail = read(1, 4, 0, 6);
        assertTrue(tail.overflowed());
        assertFalse(read(1, 4, 0, 10).overflowed());
        assertEquals(List.of("a1", "a2", "b1", "c1", "c2"), texts(read(1, 4, 0, 10)));
    }

    /** Created with no logs, then {@code dots} appends of one character, then {@code owed}, if any. */
    private static List<Entry> progressBar(int dots, String owed) {
        List<Entry> journal = new java.util.ArrayList<>();
        journal.add(new Entry.Created(1, DATA, State.IN_PROGRESS.code, Entry.NO_TIME, "", "", "{}"));
        for (int i = 1; i <= dots; i++) {
            journal.add(new Entry.LogAppended(1, i - 1, Entry.NO_POSITION, i, "."));
        }
        if (owed != null) {
            journal.add(new Entry.LogAppended(1, dots, Entry.NO_POSITION, dots + 1, owed));
        }
        return journal;
    }

    /** A progress bar written a character an append: a tail of one line must not read them all. */
    @Test
    void aTailReadsBackABoundedNumberOfEntriesHoweverTheLogsWereAppended() {
        List<Entry> journal = progressBar(50_000, null);
        long[] reads = {0};
        Row row = new Row(0, 0, 50_000, State.IN_PROGRESS.code, Entry.NO_TIME);
        LogTail.Tail tail = LogTail.read(p -> {
            reads[0]++;
            return journal.get((int) p);
        }, row, 50_001, 50_001, 1, 4 << 20, true);
        assertTrue(reads[0] <= 1 + LogTail.MAX_WALK + 2, reads[0] + " entries read");
        assertEquals(List.of(), texts(tail), "no line has ended");
        assertEquals(".".repeat(LogTail.MAX_WALK + 1), tail.open(), "the end of the unfinished line is held");
    }

    /** The line a stream is owed (it ended after the stream was asked for) is sent as far as it was read. */
    @Test
    void anOwedLineWhoseStartWasNotReadIsSentNotDropped() {
        int dots = LogTail.MAX_WALK + 500;
        List<Entry> journal = progressBar(dots, "\nd\n");
        Row row = new Row(0, 0, dots + 1, State.IN_PROGRESS.code, Entry.NO_TIME);
        LogTail.Tail tail = LogTail.read(p -> journal.get((int) p), row, dots + 1, dots + 2, 0, 4 << 20, true);
        assertFalse(tail.overflowed());
        assertEquals(List.of(".".repeat(LogTail.MAX_WALK), "d"), texts(tail));
    }

    /** A tail that begins inside a line leaves all of it out, not only its first piece. */
    @Test
    void aLongLineWhoseStartWasNotReadIsLeftOutWhole() {
        List<Entry> journal = List.of(
                new Entry.Created(1, DATA, State.IN_PROGRESS.code, Entry.NO_TIME, "", "", "{}"),
                new Entry.LogAppended(1, 0, Entry.NO_POSITION, 1, "a\n" + "x".repeat(150_000)),
                new Entry.LogAppended(1, 1, Entry.NO_POSITION, 2, "x".repeat(150_000) + "\nlast\n"));
        Row row = new Row(0, 0, 2, State.IN_PROGRESS.code, Entry.NO_TIME);
        LogTail.Tail tail = LogTail.read(p -> journal.get((int) p), row, 3, 3, 3, 100_000, true);
        assertEquals(List.of("last"), texts(tail));
    }

    private static Entry.Created createdWith(String logs) {
        return new Entry.Created(1, DATA, State.IN_PROGRESS.code, Entry.NO_TIME, logs, "", "{}");
    }

    private static Entry append(long previous, String text) {
        return new Entry.LogAppended(1, previous, Entry.NO_POSITION, previous + 1, text);
    }

    private static LogTail.Tail tailOf(List<Entry> journal, long since, int wanted, long maxChars, boolean follow) {
        Row row = new Row(0, 0, journal.size() - 1, State.IN_PROGRESS.code, Entry.NO_TIME);
        return LogTail.read(p -> journal.get((int) p), row, since, journal.size(), wanted, maxChars, follow);
    }

    /** An action indexed but not yet published has no tail: its creation comes live, logs and all. */
    @Test
    void anActionNotYetPublishedHasAnEmptyTailThatIsNotFinished() {
        Entry.Created finished = new Entry.Created(1, DATA, State.SUCCESS.code, 5, "given\n", "", "{}");
        Row row = new Row(0, 0, 0, State.SUCCESS.code, 5);
        LogTail.Tail tail = LogTail.read(p -> finished, row, 0, 0, 10, 1000, true);
        assertEquals(List.of(), texts(tail));
        assertFalse(tail.terminal(), "the live side finishes it, after the creation's lines");
    }

    /** The newest line is always shown, however long: from where it was read when it is longer than the bound. */
    @Test
    void theNewestLineIsShownEvenPastTheBound() {
        List<Entry> journal = List.of(createdWith(""), append(0, "before\n"), append(1, "a".repeat(2000) + "\n"));
        assertEquals(List.of("a".repeat(2000)), texts(tailOf(journal, 3, 10, 1024, true)));
        List<Entry> longer = List.of(createdWith(""), append(0, "before\n"), append(1, "b".repeat(1500)),
                append(2, "b".repeat(1500) + "\n"));
        // Read back to the bound only: the line from where it was read.
        assertEquals(List.of("b".repeat(1500)), texts(tailOf(longer, 4, 10, 1024, false)));
    }

    /** A bound that stops the walk right after a newline loses no line: the one read begins there. */
    @Test
    void aWalkStoppedAtALineStartKeepsThatLine() {
        List<Entry> journal = new java.util.ArrayList<>(List.of(createdWith(""), append(0, "first\n")));
        for (int i = 0; i < LogTail.MAX_WALK; i++) {
            journal.add(append(journal.size() - 1, "x"));
        }
        journal.add(append(journal.size() - 1, "\n"));
        assertEquals(List.of("x".repeat(LogTail.MAX_WALK)), texts(tailOf(journal, journal.size(), 1, 4 << 20, false)));
    }

    /** Whether owed lines overflow depends on them alone, the newest always going out, as any tail's. */
    @Test
    void anOwedLineOverflowsOrNotWhateverOlderPiecesWereRead() {
        String owed = "z".repeat(2000) + "\n";
        LogTail.Tail alone = tailOf(List.of(createdWith(""), append(0, owed)), 1, 0, 1024, true);
        LogTail.Tail after = tailOf(List.of(createdWith(""), append(0, "old\n"), append(1, owed)), 2, 0, 1024, true);
        assertFalse(alone.overflowed());
        assertFalse(after.overflowed());
        assertEquals(texts(alone), texts(after));
        LogTail.Tail two = tailOf(List.of(createdWith(""), append(0, owed), append(1, owed)), 1, 0, 1024, true);
        assertTrue(two.overflowed(), "two owed lines past the bound");
    }

    /**
     * Retention carries an action forward by writing a copy of it: indexed before it is published, that copy is no
     * new action. The tail takes its state from it, so that the stream of a finished action still closes.
     */
    @Test
    void aCarriedCopyNotYetPublishedStillGivesTheStateAndTheLogsGivenAtCreation() {
        Entry.Created carried = new Entry.Created(1, DATA, State.SUCCESS.code, 5, "started\n", "", "{}", true);
        Row row = new Row(0, 7, 7, State.SUCCESS.code, 5);
        LogTail.Tail tail = LogTail.read(p -> carried, row, 7, 7, 10, 1000, true);
        assertTrue(tail.terminal(), "a finished action's stream closes after its tail");
        assertEquals(List.of("started"), texts(tail));
    }

    /** Empty appends count toward a larger bound than text: the newest line behind many of them still shows. */
    @Test
    void theNewestLineBehindManyEmptyAppendsShows() {
        List<Entry> journal = new java.util.ArrayList<>(List.of(createdWith(""), append(0, "done\n")));
        for (int i = 0; i <= LogTail.MAX_WALK; i++) {
            journal.add(append(journal.size() - 1, ""));
        }
        assertEquals(List.of("done"), texts(tailOf(journal, journal.size(), 1, 4 << 20, false)));
    }
}
