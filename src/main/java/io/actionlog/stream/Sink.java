package io.actionlog.stream;

import io.vertx.core.Context;

/**
 * Where one stream's frames go: a WebSocket or a Server-Sent Events response. Every method runs on the socket's
 * context. Once closed, a sink ignores further frames, so a session never has to check before each write.
 */
interface Sink {
    Context context();

    /** The transport's own write queue is past its bound: stop writing until {@link #onDrain} calls back. */
    boolean full();

    void onDrain(Runnable then);

    /** One frame; {@code position} is the journal position it comes from (an SSE event id), or -1. */
    void send(String frame, long position);

    /** Sends the error frame with this errorMessage, then closes. */
    default void refuse(String errorMessage) {
        refuse(errorMessage, null);
    }

    /** As {@link #refuse(String)}, the frame also saying what was wrong ({@code detail}, may be null). */
    void refuse(String errorMessage, String detail);

    /** Closes normally, after every frame already sent. */
    void finish();

    boolean closed();

    /** Runs once the sink is closed, whoever closed it; at once if it is closed already. */
    void onClose(Runnable then);

    /** Called periodically: keep the connection alive, and close it if the peer has gone silent. */
    void keepAlive(long idleTimeoutNanos);
}
