package io.actionlog.index;

/**
 * A new action in the journal that does not take the next id: entries before it removed (a day's file deleted), or
 * entries added or copied in. The index refuses to go on; the position lets the caller say where the entry lies.
 */
public final class IdOutOfTurnException extends IllegalStateException {
    private final long position;

    IdOutOfTurnException(long position, long id, long next) {
        super("journal entry at " + position + " creates id " + id + " but the next id is " + next);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
