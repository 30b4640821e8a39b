package io.actionlog.stream;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stream as Server-Sent Events: each frame is a {@code data:} line under an {@code id:} line holding its journal
 * position, which is what a client sends back as {@code Last-Event-ID} to resume. Keep-alive is a comment line;
 * a peer that stopped reading is caught by the write queue bound, one that vanished by the failed write.
 */
final class SseSink extends BaseSink {
    private final HttpServerResponse response;

    SseSink(HttpServerResponse response, Context context) {
        super(context, response);
        this.response = response;
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                // A compressor may hold events back; an event stream is small and must flow as written.
                .putHeader("Content-Encoding", "identity");
        response.closeHandler(v -> closeNow());
        response.exceptionHandler(e -> closeNow());
        // Headers now, so the client knows the stream is open before the first event.
        response.write(": stream open\n\n");
    }

    @Override
    public void send(String frame, long position) {
        if (!closed()) {
            response.write("id: " + position + "\ndata: " + frame + "\n\n");
        }
    }

    @Override
    public void refuse(String errorMessage, String detail) {
        if (!closed()) {
            response.write("event: error\ndata: " + Frames.error(errorMessage, detail) + "\n\n");
            finish();
        }
    }

    @Override
    public void finish() {
        if (!closed()) {
            response.end();
            closeNow();
        }
    }

    @Override
    public void keepAlive(long idleTimeoutNanos) {
        if (!closed()) {
            response.write(": keep-alive\n\n");
        }
    }
}
