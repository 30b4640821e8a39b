package io.actionlog.integrity;

import io.actionlog.journal.EntryBytes;
import java.util.Arrays;

/**
 * The uuid of every action id {@code verify} has read a Created entry of, two longs an id: a state change or log
 * append names its action by id only, and its leaf holds the uuid. A uuid of all zero bits stands for none. The
 * halves lie in pages of {@link #PAGE_IDS} ids, so that growing to tens of millions of ids never copies the table
 * (a doubled array cost the first seconds of a 10 M run) and no page is one of G1's humongous objects. One thread
 * (the reading one).
 */
final class ActionUuidTable {
    private static final int PAGE_BITS = 14;
    static final int PAGE_IDS = 1 << PAGE_BITS;
    private long[][] pages = new long[16][];
    private long high;
    private long low;

    /**
     * Learns the uuid of a Created entry, or looks up that of the action of another entry; true when there is one,
     * which {@link #high()} and {@link #low()} then give.
     */
    boolean resolve(EntryBytes entry) {
        long id = entry.id();
        if (id < 0 || id >= Integer.MAX_VALUE / 2) {
            return false;
        }
        int page = (int) (id >>> PAGE_BITS);
        int at = (int) (id & (PAGE_IDS - 1)) * 2;
        if (entry.kind() == EntryBytes.Kind.CREATED) {
            long[] halves = page(page);
            boolean has = entry.created().hasUuid();
            halves[at] = has ? entry.created().uuidHigh() : 0;
            halves[at + 1] = has ? entry.created().uuidLow() : 0;
        } else if (page >= pages.length || pages[page] == null) {
            return false;
        }
        long[] halves = pages[page];
        high = halves[at];
        low = halves[at + 1];
        return high != 0 || low != 0;
    }

    private long[] page(int page) {
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(pages.length * 2, page + 1));
        }
        long[] p = pages[page];
        return p != null ? p : (pages[page] = new long[2 * PAGE_IDS]);
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }
}
