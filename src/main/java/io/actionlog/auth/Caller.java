package io.actionlog.auth;

/** Who made a request: the credential's name and role, as established by {@link CredentialStore#authenticate}. */
public record Caller(String name, Role role) {
}
