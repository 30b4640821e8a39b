package io.actionlog.action;

/** Sizes a recorded action may have; each is checked at the door and reported with the field's name. */
public final class Limits {
    public static final int ACTION = 255;
    public static final int USER = 150;
    public static final int METHOD = 16;
    public static final int URI = 2048;
    public static final int PARENTS = 100;
    public static final int LOCATION = 255;
    public static final int USER_AGENT = 1024;
    public static final int BODY = 512 * 1024;
    public static final int ERROR = 64 * 1024;
    public static final int METADATA = 64 * 1024;
    public static final int LOGS = 512 * 1024;

    private Limits() {
    }
}
