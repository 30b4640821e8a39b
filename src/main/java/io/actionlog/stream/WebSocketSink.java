package io.actionlog.stream;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.netty.channel.Channel;

/**
 * A stream over a WebSocket. Liveness: the server pings on every keep-alive tick, and anything heard from the
 * peer (a pong, its own pings every few seconds, any frame) counts as a sign of life; a socket silent for longer
 * than the idle timeout is closed. Vert.x answers the peer's pings by itself.
 *
 * <p>Closing. Vert.x waits for the peer's close reply only once the close frame has gone out, which never happens
 * while a peer that reads nothing keeps the socket's buffers full: the connection is cut a grace after the close
 * frame was queued, as {@link BaseSink} says.
 */
final class WebSocketSink extends BaseSink {
    private static final short NORMAL = 1000;
    private static final short GOING_AWAY = 1001;
    private static final short POLICY = 1008;
    private static final short TRY_AGAIN_LATER = 1013;
    private static final Buffer PING = Buffer.buffer("keep-alive");
    /** Pings a peer may send in a row while its socket takes nothing more: a client's keep-alive sends one a few s. */
    static final int MAX_PINGS_UNREAD = 64;

    private final ServerWebSocket ws;
    private long lastHeard = System.nanoTime();
    /** Pings from the peer in a row while its socket could take nothing more (see {@link #pinged}). */
    private int pingsUnread;

    WebSocketSink(ServerWebSocket ws, Channel channel, Context context, long idleTimeoutSeconds,
                  StreamSends sends, String caller) {
        super(context, ws, channel, idleTimeoutSeconds, sends, caller);
        this.ws = ws;
        ws.pongHandler(b -> lastHeard = System.nanoTime());
        ws.frameHandler(f -> {
            lastHeard = System.nanoTime();
            if (f.isPing()) {
                pinged();
            }
        });
        ws.exceptionHandler(e -> closeNow());
        ws.closeHandler(v -> closeNow());
    }

    @Override
    public void send(String frame, long position) {
        if (!closed()) {
            counted(frame.length(), ws.writeTextMessage(frame));
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

    /**
     * Vert.x answers each ping with a pong written past the socket's write-queue bound: a peer that pings and reads
     * nothing would grow the connection's outbound buffer for as long as it pings. Past {@link #MAX_PINGS_UNREAD}
     * pings in a row while the queue is full, the connection is cut at once (not closed: a close frame could not go
     * out either).
     */
    private void pinged() {
        pingsUnread = ws.writeQueueFull() ? pingsUnread + 1 : 0;
        if (pingsUnread > MAX_PINGS_UNREAD) {
            closeNow();
            cut();
        }
    }

    private void close(short code, String reason) {
        if (!closed()) {
            ws.close(code, reason);
            closeNow();
            cutAfterGrace();
        }
    }
}
