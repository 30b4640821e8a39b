package io.actionlog.stream;

import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionStore;
import io.actionlog.store.Writer;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;

/**
 * Turns journal entries into events. A state change names only the action's id, but an event needs its uuid,
 * owner (to decide who may see it) and parents, which live in the action's Created entry. Rather than one
 * journal read per change and per socket, the heads of recently seen actions are kept in a small LRU shared by all
 * sockets: a create fills it as it goes by, so the usual "create, then a few moves" costs no read at all; a miss
 * costs one index lookup and one journal read, as a REST detail does. Heads never change, so a cached one is
 * never stale.
 *
 * <p>Threads: any; the cache is guarded by its own monitor, held only for the map operation.
 */
final class ActionHeads {
    /** About 150 bytes a head as most actions are recorded: a few megabytes. */
    static final int CAPACITY = 16_384;
    /**
     * The characters all cached heads may hold: a head keeps its parents, up to 100 of 2,048 characters, so by count
     * alone the cache could pin 3.4 G characters. Most heads are short, and 16,384 of them stay well below this.
     */
    static final long MAX_CHARS = 4L << 20;

    private final ActionStore store;
    /** Least recently used first. */
    private final Long2ObjectLinkedOpenHashMap<ActionEvent.Head> cache = new Long2ObjectLinkedOpenHashMap<>(1024);
    /** The characters of the heads in the cache; guarded by the cache's monitor. */
    private long chars;

    ActionHeads(ActionStore store) {
        this.store = store;
    }

    /**
     * The event an entry is, or null for a log append (the logs stream's business, not an event), for retention's
     * entries, and for any entry of an action retention expired.
     */
    ActionEvent event(Writer.Applied applied) {
        Entry e = applied.entry();
        if (e instanceof Entry.Created c && (c.carried() || store.row(c.id()) == null)) {
            return null; // retention's copy of an action is no change; an expired action is in no history
        }
        if (e instanceof Entry.Created c) {
            ActionEvent.Head head = ActionEvent.Head.of(c.data());
            remember(c.id(), head);
            return new ActionEvent(true, head, State.ofCode(c.state()), c.data().startDate());
        }
        if (e instanceof Entry.StateChanged s && store.row(s.id()) != null) {
            ActionEvent.Head head = head(s.id());
            return head == null ? null : new ActionEvent(false, head, State.ofCode(s.state()), s.at());
        }
        return null;
    }

    private ActionEvent.Head head(long id) {
        synchronized (cache) {
            ActionEvent.Head h = cache.getAndMoveToLast(id);
            if (h != null) {
                return h;
            }
        }
        Row row = store.row(id);
        if (row == null) {
            return null; // expired by retention
        }
        Entry.Created c = (Entry.Created) store.entry(row.created());
        ActionEvent.Head head = ActionEvent.Head.of(c.data());
        remember(id, head);
        return head;
    }

    /** The characters the cached heads hold. */
    long heldChars() {
        synchronized (cache) {
            return chars;
        }
    }

    void remember(long id, ActionEvent.Head head) {
        synchronized (cache) {
            ActionEvent.Head replaced = cache.putAndMoveToLast(id, head);
            chars += head.chars() - (replaced == null ? 0 : replaced.chars());
            while (cache.size() > CAPACITY || chars > MAX_CHARS && cache.size() > 1) {
                chars -= cache.removeFirst().chars();
            }
        }
    }
}
