package io.actionlog.stream;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * A stream over a WebSocket. Liveness: the server pings on every keep-alive tick, and anything heard from the
 * peer (a pong, its own pings every few seconds, any frame) counts as a sign of life; a socket silent for longer
 * than the idle timeout is closed. Vert.x answers the peer's pings by itself.
 */
final class WebSocketSink extends BaseSink {
    private static final short NORMAL = 1000;
    private static final short GOING_AWAY = 1001;
    private static final short POLICY = 1008;
    private static final short TRY_AGAIN_LATER = 1013;
    private static final Buffer PING = Buffer.buffer("keep-alive");

    private final ServerWebSocket ws;
    private long lastHeard = System.nanoTime();

    WebSocketSink(ServerWebSocket ws, Context context) {
        super(context, ws);
        this.ws = ws;
        ws.pongHandler(b -> lastHeard = System.nanoTime());
        ws.frameHandler(f -> lastHeard = System.nanoTime());
        ws.exceptionHandler(e -> closeNow());
        ws.closeHandler(v -> closeNow());
    }

    @Override
    public void send(String frame, long position) {
        if (!closed()) {
            ws.writeTextMessage(frame);
        }
    }

    @Override
    public void refuse(String errorMessage, String detail) {
        if (!closed()) {
            ws.writeTextMessage(Frames.error(errorMessage, detail));
            short code = switch (errorMessage) {
                case Frames.SLOW_CONSUMER -> TRY_AGAIN_LATER;
                case Frames.SERVER_STOPPING -> GOING_AWAY;
                default -> POLICY;
            };
            close(code, errorMessage);
        }
    }

    @Override
    public void finish() {
        close(NORMAL, null);
    }

    @Override
    public void keepAlive(long idleTimeoutNanos) {
        if (closed()) {
            return;
        }
        if (System.nanoTime() - lastHeard > idleTimeoutNanos) {
            close(GOING_AWAY, "idle timeout");
        } else {
            ws.writePing(PING);
        }
    }

    private void close(short code, String reason) {
        if (!closed()) {
            ws.close(code, reason);
            closeNow();
        }
    }
}
