package io.actionlog.action;

import java.util.List;
import java.util.UUID;

/**
 * What an action is recorded with and keeps for good: every field of {@link ActionField} but the id, which the
 * journal gives, and the five that later entries change (state, end date, logs, error, metadata). The action to be
 * recorded ({@link NewAction}), its journal entry and the action as read ({@link Action}) all hold one of these, so
 * a new field of this kind is one component here, one constant in {@link ActionField}, and whatever the compiler
 * then asks for (the request parser, the codec's walks, the views).
 *
 * <p>Components follow the order of {@link ActionField}. {@code startDate} is in epoch microseconds; {@code retryOf}
 * is null unless the action repeats another. The server always sets the uuid and the start date; the journal's
 * codec also reads entries without them (null, Long.MIN_VALUE).
 */
public record ActionData(
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
        long startDate,
        boolean userAction,
        UUID retryOf,
        String recordedBy) {
}
