package io.actionlog.journal;

import io.actionlog.action.ActionData;

/**
 * One journal record. Every change to an action is a new entry; nothing is rewritten. Times are microseconds
 * since the epoch (UTC); {@link #NO_TIME} means "not set". Action ids are the dense 1, 2, 3, ... of creation
 * order; entry positions are the dense 0, 1, 2, ... of journal order (see {@link Journal}).
 */
public sealed interface Entry permits Entry.Created, Entry.StateChanged, Entry.LogAppended, Entry.Expired,
        Entry.Dropped {

    long NO_TIME = Long.MIN_VALUE;
    long NO_POSITION = -1;
    /**
     * What a replay that does not read texts gets for a free text (path, body, logs, error, metadata, appended log
     * text) that is neither null, empty nor {@code {}}; see {@link Journal.EntryConsumer#readsTexts()}.
     */
    String TEXT_LEFT_OUT = new String("(text not decoded)");

    /** The action this entry belongs to; 0 for the entries of retention, which belong to none. */
    long id();

    /**
     * A new action, with everything it was recorded with: its {@link ActionData} and the first values of the
     * fields that the other entries change.
     */
    record Created(long id, ActionData data, byte state, long endDate, String logs, String error, String metadata,
                   boolean carried) implements Entry {
        public Created(long id, ActionData data, byte state, long endDate, String logs, String error,
                       String metadata) {
            this(id, data, state, endDate, logs, error, metadata, false);
        }

        /**
         * The same action carried forward by retention: its whole current state (logs included) recorded again
         * under the same id and uuid, so the action no longer needs any entry before this one.
         */
        public Created carriedForward() {
            return new Created(id, data, state, endDate, logs, error, metadata, true);
        }
    }

    /**
     * A move to another state. It carries the complete error and metadata as they stand after the move, so a
     * reader needs only the newest StateChanged of an action. {@code previous} is the position of the action's
     * entry before this one.
     */
    record StateChanged(long id, long previous, byte state, long at, long endDate, String error, String metadata)
            implements Entry {
    }

    /**
     * Text appended to the logs. {@code previous} chains the action's entries backwards, so the full logs are the
     * Created logs followed by every LogAppended on the chain; {@code stateEntry} is the position of the newest
     * StateChanged at the time (or NO_POSITION), so error and metadata are at most one hop away.
     */
    record LogAppended(long id, long previous, long stateEntry, long at, String text) implements Entry {
    }

    /**
     * Retention expired these actions: from this entry on they are in no read. {@code ids} are sorted, disjoint,
     * inclusive ranges {@code [first, last]} of action ids, as pairs; {@code policy} names the rule
     * ({@code days=N} or {@code max_journal_bytes=N}).
     */
    record Expired(String policy, long[] ids) implements Entry {
        @Override
        public long id() {
            return 0;
        }

        /** How many actions the ranges hold. */
        public long count() {
            long n = 0;
            for (int i = 0; i < ids.length; i += 2) {
                n += ids[i + 1] - ids[i] + 1;
            }
            return n;
        }
    }

    /**
     * Retention drops the journal's entries at positions {@code [from, to)} (whole files); the journal then starts
     * at {@code to}. Written before the files go, so the record of a drop is never lost with them.
     * {@code highestId} is the highest action id ever given, so that no id is given twice once the entries that
     * held it are gone.
     */
    record Dropped(String policy, long from, long to, long highestId) implements Entry {
        @Override
        public long id() {
            return 0;
        }
    }
}
