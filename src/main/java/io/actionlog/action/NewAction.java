package io.actionlog.action;

import java.util.Set;

/**
 * An action as it is to be recorded, every default applied: its {@link ActionData} and the first values of the
 * fields that later entries change. {@code supplied} names the fields the recorder gave explicitly: a repeated
 * request with the same uuid is "the same" when those fields match what is stored. Times are epoch microseconds;
 * endDate may be unset (Long.MIN_VALUE).
 */
public record NewAction(
        ActionData data,
        State state,
        long endDate,
        String logs,
        String error,
        String metadata,
        Set<String> supplied) {
}
