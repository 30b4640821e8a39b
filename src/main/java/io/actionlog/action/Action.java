package io.actionlog.action;

/**
 * An action as it stands now, assembled from its journal entries: what it was recorded with, and the fields that
 * later entries change, as they stand. {@code logs} is null when the caller did not ask for them (lists leave them
 * out). Times are epoch microseconds; endDate is Long.MIN_VALUE when unset.
 */
public record Action(
        long id,
        ActionData data,
        State state,
        long endDate,
        String logs,
        String error,
        String metadata) {

    public boolean hasEnded() {
        return endDate != Long.MIN_VALUE;
    }
}
