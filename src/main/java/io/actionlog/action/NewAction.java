package io.actionlog.action;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An action as it is to be recorded, every default applied. {@code supplied} names the fields the recorder gave
 * explicitly: a repeated request with the same uuid is "the same" when those fields match what is stored.
 * Times are epoch microseconds; endDate and retryOf may be unset (Long.MIN_VALUE / null).
 */
public record NewAction(
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
        String recordedBy,
        Set<String> supplied) {
}
