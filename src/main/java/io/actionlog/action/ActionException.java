package io.actionlog.action;

/** A request the domain refuses: the kind says why, the message says what, naming the field where there is one. */
public final class ActionException extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, TOO_MANY, UNAVAILABLE }

    private final Kind kind;

    public ActionException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ActionException invalid(String field, String problem) {
        return new ActionException(Kind.INVALID, field + ": " + problem);
    }

    public static ActionException conflict(String message) {
        return new ActionException(Kind.CONFLICT, message);
    }

    public static ActionException notFound() {
        return new ActionException(Kind.NOT_FOUND, "Not found.");
    }
}
