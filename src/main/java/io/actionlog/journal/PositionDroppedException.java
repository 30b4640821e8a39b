package io.actionlog.journal;

/**
 * A read of a position that retention has dropped: asked for after the drop, or under way while it happened (a
 * reader that took an action's positions from the index just before). Not damage: the request that read it is
 * answered 503, and the same request again reads the journal as it now is.
 */
public final class PositionDroppedException extends IndexOutOfBoundsException {
    public PositionDroppedException(long position, long first) {
        super("position " + position + " was dropped by retention (the journal starts at " + first + ")");
    }
}
