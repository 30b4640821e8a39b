package io.actionlog.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        // The scheme is the first word, read before anything else is checked: a header in a scheme we do not
        // know is no credentials, however many words it has (as Django REST framework's authenticators return
        // None when the keyword is not theirs). Ours need exactly two words separated by one run of ASCII
        // whitespace, as split("\\s+") would find them, without a regular expression: this runs on every request.
        String h = header.strip();
        int gap = 0;
        while (gap < h.length() && !isSpace(h.charAt(gap))) {
            gap++;
        }
        Scheme scheme = Scheme.of(h.substring(0, gap));
        if (scheme == null) {
            throw AuthException.noCredentials();
        }
        String credentials = secondAndLastWord(h, gap);
        return switch (scheme) {
            case TOKEN -> new Presented(null, credentials);
            case APIKEY -> nameAndKey(credentials);
            case BASIC -> nameAndKey(decodeBase64(credentials));
        };
    }

    private enum Scheme {
        TOKEN, APIKEY, BASIC;

        /** Null for a scheme that is none of ours; compared ignoring case. */
        static Scheme of(String word) {
            for (Scheme s : values()) {
                if (s.name().equalsIgnoreCase(word)) {
                    return s;
                }
            }
            return null;
        }
    }

    /** The word after the scheme; one of our schemes with no second word, or with a third, is invalid. */
    private static String secondAndLastWord(String h, int gap) {
        int word = gap;
        while (word < h.length() && isSpace(h.charAt(word))) {
            word++;
        }
        if (word == h.length()) {
            throw AuthException.invalid();
        }
        String credentials = h.substring(word);
        for (int i = 0; i < credentials.length(); i++) {
            if (isSpace(credentials.charAt(i))) {
                throw AuthException.invalid();
            }
        }
        return credentials;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
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
