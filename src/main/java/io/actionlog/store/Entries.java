package io.actionlog.store;

import io.actionlog.action.NewAction;
import io.actionlog.journal.Entry;

/** The single mapping from a domain action to be recorded to its journal entry. */
public final class Entries {
    private Entries() {
    }

    public static Entry.Created created(long id, NewAction a) {
        return new Entry.Created(id, a.data(), a.state().code, a.endDate(), a.logs(), a.error(), a.metadata());
    }
}
