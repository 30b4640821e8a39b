package io.actionlog.index;

import io.actionlog.action.State;
import java.util.EnumSet;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * A list request in index terms. Times are epoch microseconds, ranges are half-open [from, to); unset bounds are
 * Long.MIN_VALUE / Long.MAX_VALUE. Null strings mean "no filter". {@code restrict}, when set, limits the result
 * to those ordinals (the caller's confirmed uuid matches). {@code sort}, when set, replaces {@code order}; a sort on
 * a text key needs {@code texts} to read those texts.
 */
public record Query(
        Set<State> states,
        String user,
        String object,
        boolean includeRelated,
        String action,
        String method,
        String ip,
        long startFrom,
        long startTo,
        long endFrom,
        long endTo,
        RoaringBitmap restrict,
        Order order,
        Sort sort,
        TextKeys texts,
        int offset,
        int limit) {

    public static Builder builder() {
        return new Builder();
    }

    /** The same query for rows {@code [offset, offset + limit)} of its matches. */
    Query window(int newOffset, int newLimit) {
        return new Query(states, user, object, includeRelated, action, method, ip, startFrom, startTo, endFrom, endTo,
                restrict, order, sort, texts, newOffset, newLimit);
    }

    boolean hasStartRange() {
        return startFrom != Long.MIN_VALUE || startTo != Long.MAX_VALUE;
    }

    boolean hasEndRange() {
        return endFrom != Long.MIN_VALUE || endTo != Long.MAX_VALUE;
    }

    int stateMask() {
        int mask = 0;
        for (State s : states == null ? EnumSet.allOf(State.class) : states) {
            mask |= 1 << s.code;
        }
        return mask;
    }

    /** Mutable helper for building a query one parameter at a time. */
    public static final class Builder {
        public Set<State> states;
        public String user;
        public String object;
        public boolean includeRelated;
        public String action;
        public String method;
        public String ip;
        public long startFrom = Long.MIN_VALUE;
        public long startTo = Long.MAX_VALUE;
        public long endFrom = Long.MIN_VALUE;
        public long endTo = Long.MAX_VALUE;
        public RoaringBitmap restrict;
        public Order order = Order.START_DESC;
        public Sort sort;
        public TextKeys texts;
        public int offset;
        public int limit = 25;

        /** Narrows the state filter to its intersection with these states. */
        public Builder states(Set<State> more) {
            if (states == null) {
                states = EnumSet.copyOf(more);
            } else {
                states.retainAll(more);
            }
            return this;
        }

        public Query build() {
            return new Query(states, user, object, includeRelated, action, method, ip, startFrom, startTo,
                    endFrom, endTo, restrict, order, sort, texts, offset, limit);
        }
    }
}
