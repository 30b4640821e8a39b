package io.actionlog.stream;

import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every transport shares: its event-loop context, its write queue's bound, closing once, whoever closes first,
 * and letting go of the connection once the stream is over.
 *
 * <p>The end of a stream (a close frame, the last chunk of an event stream) goes out behind everything already
 * queued, and Vert.x closes a connection only once what it queued has gone out: while a peer that reads nothing keeps
 * the socket's buffers full, neither ever happens, and the connection would stay open, holding its buffers and its
 * place among {@code http.max_connections}, after the stream stopped counting it. So a connection still open a grace
 * after its stream ended is cut, its unsent bytes dropped: the stream idle timeout, the time a silent client is given
 * anyway (a client that reads slowly takes what was sent within it), and at least {@link #MIN_CLOSE_GRACE_SECONDS}.
 *
 * <p>Each sink's write queue is bounded, but ten thousand connections each holding theirs would exhaust any heap. So
 * the frames written and not yet taken by the connection also take room from the process's budget of unsent bytes
 * ({@code http.max_unsent_bytes}, shared with pages and downloads, a quarter of it for one credential), in steps of
 * {@link #ROOM_STEP}: a sink that finds no room is full, as it is when its own queue is, and its outbox holds what
 * follows, to its own bound. A sink with nothing unsent may always write one frame, so that a spent budget slows
 * every stream down but stops none; all of them together hold at most the budget and a frame each.
 */
abstract class BaseSink implements Sink {
    /** The transport's own write queue bound, in bytes; past it the outbox stops handing entries over. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** The room a sink takes from the budget, and gives back, at once. */
    static final int ROOM_STEP = 64 * 1024;
    /**
     * How long a sink that found no room waits before it asks again, unless its own frames are taken first: no
     * event says that another sink gave some back.
     */
    static final long ROOM_WAIT_MS = 100;
    /** As Vert.x's own wait for a WebSocket close reply, which it starts only once the close frame is out. */
    static final long MIN_CLOSE_GRACE_SECONDS = 10;

    private final Context context;
    private final WriteStream<?> out;
    /** The connection under the stream, cut when its end cannot go out (see the class doc). */
    private final Channel channel;
    private final long closeGraceMillis;
    private final List<Runnable> onClose = new ArrayList<>(2);
    private boolean closed;
    private final StreamSends sends;
    /** Whose share of the budget the room is. */
    private final String caller;
    /** Bytes of frames written whose writes have not completed: in the write queue, not yet taken by the socket. */
    private long unsent;
    /** Room taken from the budget; {@code starved}: none was left when asked; {@code released}: all given back. */
    private long room;
    private boolean starved;
    private boolean released;
    /** What waits for room (the drain callback given while starved), or null; a timer is set while it waits. */
    private Runnable waiting;

    BaseSink(Context context, WriteStream<?> out, Channel channel, long idleTimeoutSeconds, StreamSends sends,
             String caller) {
        this.context = context;
        this.out = out;
        this.channel = channel;
        this.sends = sends;
        this.caller = caller;
        // Once the connection is gone nothing it held is unsent: its room goes back, whatever its writes say after.
        channel.closeFuture().addListener(f -> context.runOnContext(v -> release()));
        this.closeGraceMillis = TimeUnit.SECONDS.toMillis(Math.max(MIN_CLOSE_GRACE_SECONDS, idleTimeoutSeconds));
        out.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    }

    @Override
    public final Context context() {
        return context;
    }

    @Override
    public final boolean full() {
        return out.writeQueueFull() || !room();
    }

    /**
     * Whether the next frame may be written as far as the budget goes: the unsent frames have room, taken now if
     * need be (a frame larger than a step takes several), or there are none.
     */
    private boolean room() {
        if (unsent == 0 || unsent < room) {
            return true;
        }
        if (starved || released) {
            return false;
        }
        while (unsent >= room) {
            if (!sends.budget.takeRoom(caller, ROOM_STEP)) {
                starved = true;
                return false;
            }
            room += ROOM_STEP;
        }
        return true;
    }

    @Override
    public final void onDrain(Runnable then) {
        out.drainHandler(v -> then.run());
        if (starved) {
            boolean timed = waiting != null;
            waiting = then;
            if (!timed) {
                context.owner().setTimer(ROOM_WAIT_MS, id -> askAgain());
            }
        }
    }

    /** Whoever waits for room asks again: its own frames were all taken (it may send one), or the wait is over. */
    private void askAgain() {
        Runnable then = waiting;
        waiting = null;
        starved = false;
        if (then != null) {
            then.run();
        }
    }

    /** Gives back the room beyond what the unsent frames need, rounded up to a step. */
    private void giveBackSpare() {
        long keep = (unsent + ROOM_STEP - 1) / ROOM_STEP * ROOM_STEP;
        if (!released && room > keep) {
            sends.budget.give(caller, room - keep);
            room = keep;
        }
    }

    private void release() {
        if (!released) {
            released = true;
            if (room > 0) {
                sends.budget.give(caller, room);
                room = 0;
            }
        }
    }

    @Override
    public final boolean closed() {
        return closed;
    }

    /** On a sink already closed, {@code then} runs at once. */
    @Override
    public final void onClose(Runnable then) {
        if (closed) {
            then.run();
        } else {
            onClose.add(then);
        }
    }

    /** Marks the sink closed and runs the close callbacks, the first time only. */
    final void closeNow() {
        if (!closed) {
            closed = true;
            onClose.forEach(Runnable::run);
        }
    }

    /** A frame of {@code chars} characters was written: counted until its write completes (or fails). */
    final void counted(int chars, Future<Void> written) {
        unsent += chars;
        sends.add(chars);
        written.onComplete(ar -> {
            unsent -= chars;
            sends.add(-chars);
            giveBackSpare();
            if (unsent == 0 && waiting != null) {
                askAgain(); // with nothing unsent the next frame may go: a spent budget slows a reader, not stops it
            }
        });
    }

    /** After the stream's end was queued: the connection is cut if it is still open a grace from now. */
    final void cutAfterGrace() {
        context.owner().setTimer(closeGraceMillis, id -> cut());
    }

    /** Closes the connection now, its unsent bytes dropped. */
    final void cut() {
        if (channel.isActive()) {
            // From the pipeline's first handler, so that the close goes straight to the socket: Vert.x's own
            // handlers would hold it behind the writes that cannot go out.
            channel.pipeline().firstContext().close();
        }
    }
}
