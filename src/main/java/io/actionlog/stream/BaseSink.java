package io.actionlog.stream;

import io.vertx.core.Context;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What every transport shares: its event-loop context, its write queue's bound, and closing once, whoever closes
 * first.
 */
abstract class BaseSink implements Sink {
    /** The transport's own write queue bound, in bytes; past it the outbox stops handing entries over. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;

    private final Context context;
    private final WriteStream<?> out;
    private final List<Runnable> onClose = new ArrayList<>(2);
    private boolean closed;

    BaseSink(Context context, WriteStream<?> out) {
        this.context = context;
        this.out = out;
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

    @Override
    public final void onClose(Runnable then) {
        onClose.add(then);
    }

    /** Marks the sink closed and runs the close callbacks, the first time only. */
    final void closeNow() {
        if (!closed) {
            closed = true;
            onClose.forEach(Runnable::run);
        }
    }
}
