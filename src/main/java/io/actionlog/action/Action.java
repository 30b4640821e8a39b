package io.actionlog.action;

import java.util.List;
import java.util.UUID;

/**
 * An action as it stands now, assembled from its journal entries. {@code logs} is null when the caller did not
 * ask for them (lists leave them out). Times are epoch microseconds; endDate is Long.MIN_VALUE when unset.
 */
public record Action(
        long id,
        UUID uuid,
        String user,
        String action,
        String method,
        String path,
        String object,
        List<String> parents,
        String ip,
        String location,
        String userAgent,
        String body,
        State state,
        long startDate,
        long endDate,
        String logs,
        String error,
        String metadata,
        boolean userAction,
        UUID retryOf,
        String recordedBy) {

    public boolean hasEnded() {
        return endDate != Long.MIN_VALUE;
    }
}
