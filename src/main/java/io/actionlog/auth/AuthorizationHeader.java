package io.actionlog.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads the three Authorization forms of spec §4 into a (name, key) pair:
 * {@code ApiKey <name>:<key>}, {@code Basic base64(<name>:<key>)} and {@code Token <key>} (name null).
 *
 * <p>Like Django REST framework, a header in a scheme we do not know counts as no credentials (the client may be
 * talking to some other layer), while a header in one of our schemes that is malformed is invalid.
 */
final class AuthorizationHeader {
    /** What the client presented; {@code name} is null for the Token form, which identifies by the key alone. */
    record Presented(String name, String key) {
    }

    private AuthorizationHeader() {
    }

    static Presented parse(String header) {
        if (header == null || header.isBlank()) {
            throw AuthException.noCredentials();
        }
        String[] parts = header.strip().split("\\s+");
        if (parts.length != 2) {
            throw AuthException.invalid();
        }
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "token":
                return new Presented(null, parts[1]);
            case "apikey":
                return nameAndKey(parts[1]);
            case "basic":
                return nameAndKey(decodeBase64(parts[1]));
            default:
                throw AuthException.noCredentials();
        }
    }

    private static String decodeBase64(String text) {
        try {
            return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AuthException.invalid();
        }
    }

    /** Splits at the first ':'; names cannot contain one, so that is the separator. */
    private static Presented nameAndKey(String pair) {
        int colon = pair.indexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
            throw AuthException.invalid();
        }
        return new Presented(pair.substring(0, colon), pair.substring(colon + 1));
    }
}
