package io.actionlog.cluster;

/** The cluster mode cannot start or go on as configured; the message says what to change. */
public class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
