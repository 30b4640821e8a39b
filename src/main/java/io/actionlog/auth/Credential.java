package io.actionlog.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the credential file. Only the key's hash is kept (lowercase hex SHA-256); the key itself is shown
 * once, when it is made, and never stored. The constructor checks every field, so a credential read from a
 * damaged file is refused rather than half-loaded.
 */
public record Credential(String name, Role role, String keyHash, Instant created) {
    /**
     * Django's username rules. They exclude ':' (the name/key separator of the ApiKey and Basic forms) and
     * whitespace, so a name always survives the Authorization header intact.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9@.+_-]{1,150}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Credential {
        checkName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
        if (keyHash == null || !SHA256_HEX.matcher(keyHash).matches()) {
            throw new IllegalArgumentException("key hash of credential " + name + " is not 64 lowercase hex digits");
        }
    }

    /** Who makes a request with this credential. */
    public Caller caller() {
        return new Caller(name, role);
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid credential name \"" + name
                    + "\": use 1 to 150 characters of A-Z a-z 0-9 @ . + _ -");
        }
        return name;
    }
}
