package io.actionlog.auth;

/**
 * Authentication failed. {@link #missing()} tells the two 401s of spec §3 apart: no credentials at all
 * (absent, empty or blank header; an unrecognised scheme) versus credentials that are malformed or wrong.
 * The messages are Django REST framework's, and deliberately never say which part was wrong.
 * Thrown on every rejected request, so it carries no stack trace.
 */
public final class AuthException extends RuntimeException {
    private final boolean missing;

    private AuthException(boolean missing, String message) {
        super(message, null, false, false);
        this.missing = missing;
    }

    static AuthException noCredentials() {
        return new AuthException(true, "Authentication credentials were not provided.");
    }

    static AuthException invalid() {
        return new AuthException(false, "Invalid token.");
    }

    public boolean missing() {
        return missing;
    }
}
