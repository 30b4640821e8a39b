package io.actionlog.integrity;

import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.util.UUID;

/**
 * The uuid of an action by its id, for the leaves of entries that carry only the id (state changes, log appends):
 * a direct-mapped cache of {@link #SLOTS} ids (24 bytes each, its whole heap), filled by every Created entry seen
 * and, on a miss, by reading the action's Created entry from the journal. Recent actions, the ones that change,
 * are the ones it holds. One thread only.
 */
final class ActionUuids {
    static final int SLOTS = 1 << 16;

    private final long[] ids = new long[SLOTS];
    private final long[] highs = new long[SLOTS];
    private final long[] lows = new long[SLOTS];
    private final Journal journal;
    private final ActionIndex index;
    private final CreatedBytes created = new CreatedBytes();

    ActionUuids(Journal journal, ActionIndex index) {
        this.journal = journal;
        this.index = index;
    }

    /** The uuid of the action of {@code entry} (null for a Created entry recorded without one). */
    UUID of(Entry entry) {
        if (entry instanceof Entry.Created c) {
            if (c.data().uuid() != null) {
                put(c.id(), c.data().uuid().getMostSignificantBits(), c.data().uuid().getLeastSignificantBits());
            }
            return c.data().uuid();
        }
        if (entry instanceof Entry.Expired || entry instanceof Entry.Dropped) {
            return null;
        }
        long id = entry.id();
        int slot = (int) (id & (SLOTS - 1));
        if (ids[slot] == id) {
            return new UUID(highs[slot], lows[slot]);
        }
        Row row = index.row(id);
        if (row == null) {
            throw new IllegalStateException("journal entry of action " + id + ", which the index does not hold");
        }
        journal.readCreated(row.created(), created);
        if (!created.hasUuid()) {
            return null;
        }
        put(id, created.uuidHigh(), created.uuidLow());
        return new UUID(created.uuidHigh(), created.uuidLow());
    }

    private void put(long id, long high, long low) {
        int slot = (int) (id & (SLOTS - 1));
        ids[slot] = id;
        highs[slot] = high;
        lows[slot] = low;
    }
}
