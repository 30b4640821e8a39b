package io.actionlog.http;

/**
 * The one way a handler fails on purpose: a status and a message meant for the client. Each API face has one
 * failure handler that renders it in that face's shape; anything else becomes a 500 without details.
 */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    public static HttpError notFound() {
        return new HttpError(404, "Not found.");
    }

    public static HttpError conflict(String message) {
        return new HttpError(409, message);
    }
}
