package io.actionlog.http;

import io.actionlog.http.waldur.WaldurApi;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused before any route saw them: a request line or headers over the configured size,
 * or bytes that are not HTTP. Vert.x would answer with an empty body; this answers in the error shape of the face the
 * path names ({@code {"detail": …}} for Waldur's, {@code {"error": …}} for the rest), naming the limit, and closes the
 * connection as Vert.x does (the stream may be out of step). A request line the decoder could not read (too long, or
 * not HTTP) has no path to go by: its answer carries both members, so that a client of either face finds its message.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
    private final int maxInitialLineBytes;
    private final int maxHeaderBytes;

    public InvalidRequests(int maxInitialLineBytes, int maxHeaderBytes) {
        this.maxInitialLineBytes = maxInitialLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "request line: longer than " + maxInitialLineBytes + " bytes (http.max_initial_line_bytes)";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "headers: larger than " + maxHeaderBytes + " bytes (http.max_header_bytes)";
        } else {
            status = 400;
            message = "request: not valid HTTP/1.1";
        }
        // The decoder names the target of a request line it could not read "/bad-request".
        String path = cause instanceof TooLongHttpLineException || "/bad-request".equals(request.path()) ? null
                : request.path();
        Buffer body = path == null ? Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeStringField("detail", message);
            g.writeEndObject();
        }) : Json.error(path.startsWith(WaldurApi.PREFIX) ? "detail" : "error", message);
        request.response().setStatusCode(status).putHeader("Connection", "close")
                .putHeader("Content-Type", "application/json").end(body);
    }
}
