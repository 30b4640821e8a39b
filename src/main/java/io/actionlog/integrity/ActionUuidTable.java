package io.actionlog.integrity;

import io.actionlog.journal.EntryBytes;
import java.util.Arrays;

/**
 * The uuid of every action id {@code verify} has read a Created entry of, two longs an id: a state change or log
 * append names its action by id only, and its leaf holds the uuid. A uuid of all zero bits stands for none. One
 * thread (the reading one).
 */
final class ActionUuidTable {
    private long[] halves = new long[2048];
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
        int at = (int) id * 2;
        if (entry.kind() == EntryBytes.Kind.CREATED) {
            if (at + 1 >= halves.length) {
                halves = Arrays.copyOf(halves, Math.max(halves.length * 2, at + 2));
            }
            boolean has = entry.created().hasUuid();
            halves[at] = has ? entry.created().uuidHigh() : 0;
            halves[at + 1] = has ? entry.created().uuidLow() : 0;
        } else if (at + 1 >= halves.length) {
            return false;
        }
        high = halves[at];
        low = halves[at + 1];
        return high != 0 || low != 0;
    }

    long high() {
        return high;
    }

    long low() {
        return low;
    }
}
