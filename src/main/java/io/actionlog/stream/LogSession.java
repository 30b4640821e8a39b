package io.actionlog.stream;

import io.actionlog.action.State;
import io.actionlog.config.Config;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Writer;

/**
 * One logs stream: the last lines of an action's logs, then, when following, each line as it is appended, and a
 * normal close once the action is finished and every line is out.
 *
 * <p>No gap, no duplicate: the session subscribes first and gets the feed's horizon, then reads the tail from
 * the entries below the horizon (re-reading the action's row after subscribing, so its chain reaches the
 * horizon), and takes from the feed only entries at or above it. It follows from the moment the stream was asked
 * for, not from its start after the upgrade: a client that has the upgrade's answer may append at once, and the
 * lines appended between the two come from the journal with the tail. Appends to a finished action are refused, so
 * the terminal state change is the last entry that can carry lines: closing on it drops nothing.
 */
final class LogSession implements Outbox.Session {
    private final Sink sink;
    private final ActionStore store;
    private final ChangeFeed feed;
    private final long id;
    private long horizon;
    /** The line being written: what came after the last newline, held until its own arrives or the action ends. */
    private LogLines lines;
    /** When the held line's newest text was appended: the time its frame carries if the action ends it. */
    private long heldAt;
    /**
     * Whether the appends retention copies when it carries the action forward are lines to send: only when the tail
     * found the carried copy not yet published, and so read none of the lines they repeat.
     */
    private boolean copiesAreNew;

    LogSession(Sink sink, ActionStore store, ChangeFeed feed, long id) {
        this.sink = sink;
        this.store = store;
        this.feed = feed;
        this.id = id;
    }

    /** {@code since}: the feed's horizon when the stream was asked for. */
    void start(long since, int tail, boolean follow, Config.Streams limits) {
        Outbox outbox = null;
        if (follow) {
            outbox = new Outbox(sink.context(), this, limits.maxPendingEntries(), limits.maxPendingBytes());
            Outbox subscribed = outbox;
            sink.onClose(() -> feed.unsubscribe(subscribed));
            horizon = feed.subscribeAction(id, outbox);
        } else {
            horizon = feed.horizon();
        }
        // The tail goes out before any back-pressure applies, so it is held to the bytes a socket may have waiting.
        Row row = store.row(id);
        LogTail.Tail t = LogTail.read(store::entry, row, Math.min(since, horizon), horizon, tail,
                limits.maxPendingBytes(), follow);
        if (t.overflowed()) {
            sink.refuse(Frames.SLOW_CONSUMER);
            return;
        }
        for (LogTail.Line line : t.lines()) {
            sink.send(Frames.log(line.text(), line.at()), -1);
        }
        if (!follow || t.terminal()) {
            sink.finish();
            return;
        }
        lines = new LogLines(t.open());
        heldAt = t.openAt();
        copiesAreNew = row.created() >= horizon;
        outbox.release();
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public void deliver(Writer.Applied applied) {
        if (applied.position() < horizon) {
            return;
        }
        if (applied.entry() instanceof Entry.Created c && !c.carried()) {
            // Indexed before it was published, the action's creation comes live: its logs are the first lines.
            // (A carried copy, which retention writes, repeats logs already sent.)
            for (String line : lines.add(c.logs())) {
                sink.send(Frames.log(line, c.data().startDate()), applied.position());
            }
            heldAt = c.data().startDate();
            if (State.ofCode(c.state()).isTerminal()) {
                finishWithRest(applied.position());
            }
        } else if (applied.entry() instanceof Entry.LogAppended l && (!applied.copy() || copiesAreNew)) {
            for (String line : lines.add(l.text())) {
                sink.send(Frames.log(line, l.at()), applied.position());
            }
            if (!l.text().isEmpty()) {
                heldAt = l.at();
            }
        } else if (applied.entry() instanceof Entry.StateChanged s && State.ofCode(s.state()).isTerminal()) {
            finishWithRest(applied.position());
        }
    }

    private void finishWithRest(long position) {
        String rest = lines.rest();
        if (rest != null) {
            // The unfinished last line: no append will end it now.
            sink.send(Frames.log(rest, heldAt), position);
        }
        sink.finish();
    }

    @Override
    public void overflowed() {
        sink.refuse(Frames.SLOW_CONSUMER);
    }
}
