package io.actionlog.stream;

import io.netty.channel.Channel;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stream as Server-Sent Events: each frame is a {@code data:} line under an {@code id:} line holding its journal
 * position, which is what a client sends back as {@code Last-Event-ID} to resume. Keep-alive is a comment line;
 * a peer that stopped reading is caught by the write queue bound, one that vanished by the failed write.
 *
 * <p>The stream is its connection's last answer: once it ends, however it ends, the connection closes, at once for
 * a client that reads, and a grace later ({@link BaseSink}) for one whose full buffers keep the end from going out.
 */
final class SseSink extends BaseSink {
    private final HttpServerResponse response;
    private final HttpConnection connection;

    SseSink(HttpServerResponse response, HttpConnection connection, Channel channel, Context context,
            long idleTimeoutSeconds, StreamSends sends, String caller) {
        super(context, response, channel, idleTimeoutSeconds, sends, caller);
        this.response = response;
        this.connection = connection;
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
            String event = "id: " + position + "\ndata: " + frame + "\n\n";
            counted(event.length(), response.write(event));
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
            // Closes once the end is out; a kept-alive connection would take another request that the cut ends.
            connection.close();
            cutAfterGrace();
        }
    }

    /** Not while the write queue is full: a comment queued behind a client that reads nothing would only add up. */
    @Override
    public void keepAlive(long idleTimeoutNanos) {
        if (!closed() && !full()) {
            response.write(": keep-alive\n\n");
        }
    }
}
