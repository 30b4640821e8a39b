package io.actionlog.auth;

import java.util.Locale;

/** What a credential may do (spec §4). The label is what the credential file and the command line spell. */
public enum Role {
    USER,
    AUDITOR,
    RECORDER,
    ADMIN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role whose label equals {@code s} ignoring case; the exception names the value and the allowed ones. */
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.label().equalsIgnoreCase(s)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role \"" + s + "\": expected one of " + labels());
    }

    public static String labels() {
        StringBuilder sb = new StringBuilder();
        for (Role r : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(r.label());
        }
        return sb.toString();
    }

    public boolean readsAll() {
        return this != USER;
    }

    /** May record actions and update them, for any user. */
    public boolean records() {
        return this == RECORDER || this == ADMIN;
    }

    /** May write at all, if only to cancel and retry its own actions: every role but the auditor's. */
    public boolean writes() {
        return this != AUDITOR;
    }

    /** May manage credentials, and cancel or retry anyone's action. */
    public boolean manages() {
        return this == ADMIN;
    }
}
