package io.actionlog.stream;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;

/** What every transport shares: its event-loop context, and closing once, whoever closes first. */
abstract class BaseSink implements Sink {
    private final Context context;
    private final List<Runnable> onClose = new ArrayList<>(2);
    private boolean closed;

    BaseSink(Context context) {
        this.context = context;
    }

    @Override
    public final Context context() {
        return context;
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
