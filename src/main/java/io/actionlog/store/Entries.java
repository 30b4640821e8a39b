package io.actionlog.store;

import io.actionlog.action.NewAction;
import io.actionlog.journal.Entry;

/** The single mapping from a domain action to be recorded to its journal entry. */
public final class Entries {
    private Entries() {
    }

    public static Entry.Created created(long id, NewAction a) {
        return new Entry.Created(id, a.uuid(), a.user(), a.action(), a.method(), a.path(), a.object(), a.parents(),
                a.ip(), a.location(), a.userAgent(), a.body(), a.state().code, a.startDate(), a.endDate(), a.logs(),
                a.error(), a.metadata(), a.userAction(), a.retryOf(), a.recordedBy());
    }
}
