package io.actionlog.integrity;

import io.actionlog.action.NewAction;
import io.actionlog.journal.Entry;
import io.actionlog.store.Entries;
import io.actionlog.store.Writer;
import java.util.function.Function;

/**
 * The leaf bytes of a new action's Created entry, written where the request was parsed, before the writer gives
 * the action its id: its bytes are the leaf of the entry with id 0, whose one digit sits at {@link #idAt()}. The
 * writer thread then only puts the id in and hashes ({@link LeafBytes#hash(PreparedLeaf, long, java.security.MessageDigest,
 * byte[], int)}), instead of walking every text of an entry another core built, which cost it about as much again
 * in cache misses as the writing itself (docs/benchmarks.md).
 *
 * <p>It is used only for the entry it was written from ({@link #isFor}): the Created entry the writer appends for
 * the same {@link NewAction} holds the very same values, so its leaf is these bytes with its id. Anything else (an
 * entry made otherwise, a command that came through a shared log) gets its leaf written on the writer thread.
 * Immutable once made; safe to hand between threads.
 */
public final class PreparedLeaf implements Writer.Prepared {
    private final Entry.Created entry;
    private final byte[] bytes;
    private final int idAt;

    PreparedLeaf(Entry.Created entry, byte[] bytes, int idAt) {
        this.entry = entry;
        this.bytes = bytes;
        this.idAt = idAt;
    }

    /**
     * Makes prepared leaves with one {@link LeafBytes} of its own: one such function per thread (a worker parsing
     * a batch of a bulk request). An action whose leaf cannot be written here gets none (null): the writer thread
     * then writes it, and fails it, as it would have without this.
     */
    public static Function<NewAction, Writer.Prepared> maker() {
        LeafBytes leaves = new LeafBytes();
        return action -> {
            try {
                return leaves.prepare(Entries.created(0, action));
            } catch (RuntimeException e) {
                return null;
            }
        };
    }

    /**
     * Whether {@code c} is the entry this was written for, but for its id: the same values, compared by
     * reference, since {@link Entries#created} takes them from the one {@link NewAction}.
     */
    boolean isFor(Entry.Created c) {
        return c.data() == entry.data() && c.state() == entry.state() && c.endDate() == entry.endDate()
                && c.logs() == entry.logs() && c.error() == entry.error() && c.metadata() == entry.metadata()
                && c.carried() == entry.carried();
    }

    byte[] bytes() {
        return bytes;
    }

    int idAt() {
        return idAt;
    }
}
