package io.actionlog.stream;

import io.actionlog.config.Config;
import io.actionlog.journal.Entry;
import io.actionlog.journal.PositionDroppedException;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One events feed (WebSocket or Server-Sent Events): a frame per create and state change the filter lets
 * through, in journal order.
 *
 * <p>Resuming (SSE only) is exact because an event's id is its journal position, dense and never reused: the
 * session subscribes first (the feed holds live entries from the horizon on), then replays positions from just
 * after the client's last id up to the horizon from the journal, chunk by chunk on a worker thread and paced by
 * the socket's write queue, and only then lets the held live entries through. Action ids would not do: an
 * action has several changes, and its id does not say which of them the client saw. A follower whose event loop
 * falls far behind the writer catches up the same way ({@link Outbox}).
 */
final class EventSession implements Outbox.Session {
    private static final Logger LOG = Logger.getLogger(EventSession.class.getName());
    /** Journal entries read per replay step: small enough to keep a worker busy only briefly. */
    static final int REPLAY_CHUNK = 512;

    private record Frame(String text, long position) {
    }

    private record Chunk(List<Frame> frames, long next) {
    }

    private final Sink sink;
    private final ActionStore store;
    private final ChangeFeed feed;
    private final ActionHeads heads;
    private final EventFilter filter;
    private Outbox outbox;
    /** Context only: the replay goes up to here, then releases the outbox; catching up moves it on. */
    private long replayTo;
    private boolean replaying;
    /** Context only: which replay step's drain handler may go on. */
    private long replayStep;

    EventSession(Sink sink, ActionStore store, ChangeFeed feed, ActionHeads heads, EventFilter filter) {
        this.sink = sink;
        this.store = store;
        this.feed = feed;
        this.heads = heads;
        this.filter = filter;
    }

    /**
     * Starts live ({@code from} = -1), or first replays every position from {@code from} up to the horizon. On the
     * socket's context, as everything after.
     */
    void start(long from, Config.Streams limits) {
        outbox = new Outbox(sink.context(), this, limits.maxPendingEntries(), limits.maxPendingBytes(),
                TimeUnit.SECONDS.toNanos(limits.idleTimeoutSeconds()), TimeUnit.SECONDS.toNanos(limits.pingSeconds()));
        sink.onClose(() -> feed.unsubscribe(outbox));
        long horizon = feed.subscribeChanges(outbox);
        catchUp(from < 0 ? horizon : from, horizon);
    }

    /**
     * Sends positions {@code from} to {@code to} from the journal, then lets the outbox's entries through; while a
     * replay runs, it only goes on to {@code to}: the outbox let go of what it held from where the replay ends.
     * Context only.
     */
    @Override
    public void catchUp(long from, long to) {
        if (replaying) {
            replayTo = Math.max(replayTo, to);
        } else {
            replaying = true;
            replayTo = to;
            replay(from);
        }
    }

    @Override
    public boolean catchesUp() {
        return true;
    }

    private void replay(long from) {
        if (sink.closed()) {
            return;
        }
        long first = store.journalFirst();
        if (from < first && from < replayTo) {
            // Its id is the last position dropped: a client that resumes from it goes on at the oldest kept one.
            sink.send(Frames.dropped(from, first), first - 1);
            from = first;
        }
        if (from >= replayTo) {
            replaying = false;
            outbox.release();
            return;
        }
        long start = from;
        long to = Math.min(replayTo, from + REPLAY_CHUNK);
        sink.context().executeBlocking(() -> frames(start, to)).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.WARNING, "events replay failed at position " + start, ar.cause());
                sink.refuse(Frames.INTERNAL_ERROR);
                return;
            }
            try {
                Chunk chunk = ar.result();
                chunk.frames().forEach(f -> sink.send(f.text(), f.position()));
                long next = chunk.next();
                if (sink.full()) {
                    // A drain handler stays until another replaces it and runs at every drain: only the one this
                    // step set, once, goes on.
                    long step = ++replayStep;
                    sink.onDrain(() -> {
                        if (replaying && replayStep == step) {
                            replayStep++;
                            replay(next);
                        }
                    });
                } else {
                    replay(next);
                }
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "events replay failed at position " + start, t);
                sink.refuse(Frames.INTERNAL_ERROR);
                Streams.rethrowError(t);
            }
        });
    }

    /**
     * The frames of positions {@code from} to {@code to}, and where the next step starts: {@code to}, or the first
     * position retention dropped meanwhile, so that the next step says so with a dropped frame rather than skip it.
     */
    private Chunk frames(long from, long to) {
        List<Frame> frames = new ArrayList<>();
        for (long p = from; p < to; p++) {
            Entry entry;
            try {
                entry = p < store.journalFirst() ? null : store.entry(p);
            } catch (PositionDroppedException e) {
                entry = null;
            }
            if (entry == null) {
                return new Chunk(frames, p);
            }
            ActionEvent e = wanted(new Writer.Applied(p, entry));
            if (e != null) {
                frames.add(new Frame(Frames.action(e), p));
            }
        }
        return new Chunk(frames, to);
    }

    @Override
    public Sink sink() {
        return sink;
    }

    /** Only ever given entries at or above the horizon, as the feed guarantees. */
    @Override
    public void deliver(Writer.Applied applied) {
        ActionEvent e = wanted(applied);
        if (e != null) {
            sink.send(Frames.action(e), applied.position());
        }
    }

    /** An action's head and a retention expiry never change back, so an entry not wanted now never will be. */
    @Override
    public boolean wants(Writer.Applied applied) {
        return wanted(applied) != null;
    }

    /** The event the entry is, if the filter lets it through; else null. */
    private ActionEvent wanted(Writer.Applied applied) {
        ActionEvent e = heads.event(applied);
        return e != null && filter.matches(e) ? e : null;
    }

    @Override
    public void overflowed() {
        sink.refuse(Frames.SLOW_CONSUMER);
    }
}
