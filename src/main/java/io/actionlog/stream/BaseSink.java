package io.actionlog.stream;

import io.netty.channel.Channel;
import io.vertx.core.Context;
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
 */
abstract class BaseSink implements Sink {
    /** The transport's own write queue bound, in bytes; past it the outbox stops handing entries over. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** As Vert.x's own wait for a WebSocket close reply, which it starts only once the close frame is out. */
    static final long MIN_CLOSE_GRACE_SECONDS = 10;

    private final Context context;
    private final WriteStream<?> out;
    /** The connection under the stream, cut when its end cannot go out (see the class doc). */
    private final Channel channel;
    private final long closeGraceMillis;
    private final List<Runnable> onClose = new ArrayList<>(2);
    private boolean closed;

    BaseSink(Context context, WriteStream<?> out, Channel channel, long idleTimeoutSeconds) {
        this.context = context;
        this.out = out;
        this.channel = channel;
        this.closeGraceMillis = TimeUnit.SECONDS.toMillis(Math.max(MIN_CLOSE_GRACE_SECONDS, idleTimeoutSeconds));
        out.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    }

    @Override
    public final Context context() {
        return context;
    }

    @Override
    public final boolean full() {
        return out.writeQueueFull();
    }

    @Override
    public final void onDrain(Runnable then) {
        out.drainHandler(v -> then.run());
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
