package io.actionlog.index;

/**
 * What the index knows of one action at one moment, captured under the read lock so that the journal reads that
 * follow use positions that belong together. {@code created} and {@code last} are journal positions.
 */
public record Row(int ordinal, long created, long last, byte state, long endDate) {

    public long id() {
        return ordinal + 1L;
    }
}
