package io.actionlog.index;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A multi-key order, as Waldur's {@code o} parameter asks for it. {@link #of} normalises what the client gave
 * into a total order: a repeated key keeps its first occurrence, and the terms end with start date descending
 * unless they already hold a total key. Start date is total because equal start dates are ordered by id in the
 * same direction (the action recorded later counts as later), exactly like {@link Order}.
 */
public record Sort(List<Term> terms) {

    /** What a list can be ordered by. OUTCOME groups the states: failed, succeeded, not finished. */
    public enum Key {
        ID, START, ACTION, OUTCOME, ERROR, METADATA;

        boolean total() {
            return this == ID || this == START;
        }

        /** Keys whose values are not in memory: the planner reads them through {@link TextKeys}. */
        public boolean text() {
            return this == ERROR || this == METADATA;
        }
    }

    public record Term(Key key, boolean descending) {
    }

    /** The newest first, ties by id descending: the default of the Waldur face. */
    public static final Sort NEWEST_FIRST = new Sort(List.of(new Term(Key.START, true)));

    public static Sort of(List<Term> given) {
        List<Term> terms = new ArrayList<>();
        Set<Key> seen = EnumSet.noneOf(Key.class);
        for (Term t : given) {
            if (seen.add(t.key())) {
                terms.add(t);
                if (t.key().total()) {
                    return new Sort(List.copyOf(terms));
                }
            }
        }
        terms.add(new Term(Key.START, true));
        return new Sort(List.copyOf(terms));
    }

    /** Whether a page may read per-action values from the journal: texts, or the names of a few actions. */
    boolean mayRead() {
        return !textKeys().isEmpty() || byName();
    }

    boolean byName() {
        return terms.stream().anyMatch(t -> t.key() == Key.ACTION);
    }

    Set<Key> textKeys() {
        Set<Key> keys = EnumSet.noneOf(Key.class);
        terms.forEach(t -> {
            if (t.key().text()) {
                keys.add(t.key());
            }
        });
        return keys;
    }
}
