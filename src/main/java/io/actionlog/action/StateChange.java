package io.actionlog.action;

/**
 * A requested move to {@code state}. Null error or metadata keep what the action has; endDate is
 * Long.MIN_VALUE when the server should use the time of the move (terminal states only).
 */
public record StateChange(State state, String error, String metadata, long endDate) {
}
