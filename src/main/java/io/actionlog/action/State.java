package io.actionlog.action;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life cycle of an action. The byte {@link #code} is what the journal and the index store, so codes are
 * part of the on-disk format: never renumber them.
 */
public enum State {
    PENDING("Pending", 0),
    IN_PROGRESS("In progress", 1),
    CANCELING("Canceling", 2),
    CANCELED("Canceled", 3),
    SUCCESS("Success", 4),
    FAILED("Failed", 5);

    private static final State[] BY_CODE = values();

    public final String label;
    public final byte code;

    State(String label, int code) {
        this.label = label;
        this.code = (byte) code;
    }

    public static State ofCode(int code) {
        return BY_CODE[code];
    }

    /** The state named exactly as the API spells it, or null. */
    public static State ofLabel(String label) {
        for (State s : BY_CODE) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return null;
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELED;
    }

    public boolean canBeCanceled() {
        return this == PENDING || this == IN_PROGRESS;
    }

    public boolean canMoveTo(State next) {
        return allowedNext().contains(next);
    }

    public Set<State> allowedNext() {
        switch (this) {
            case PENDING:
                return EnumSet.of(IN_PROGRESS, CANCELING, CANCELED, SUCCESS, FAILED);
            case IN_PROGRESS:
                return EnumSet.of(CANCELING, SUCCESS, FAILED, CANCELED);
            case CANCELING:
                return EnumSet.of(CANCELED, SUCCESS, FAILED);
            default:
                return EnumSet.noneOf(State.class);
        }
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (State s : BY_CODE) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.label);
        }
        return sb.toString();
    }
}
