package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The header reader gives the same answer as the plain split on whitespace it replaces, for any header. */
class AuthorizationHeaderTest {
    private static final String ALPHABET = "aAkK:Tt ok en\t\n\u000B\f\r\u00A0\u001C\u2003=+/xyz";
    private static final String[] PREFIXES = {"", " ", "Token", "token ", "ApiKey ", "APIKEY ann:", "Basic ",
            "basic " + Base64.getEncoder().encodeToString("ann:k".getBytes(StandardCharsets.UTF_8)), "Bearer "};

    @Test
    void agreesWithSplittingOnWhitespaceRuns() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder h = new StringBuilder(PREFIXES[random.nextInt(PREFIXES.length)]);
            for (int n = random.nextInt(12); n > 0; n--) {
                h.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String header = h.toString();
            assertEquals(oracle(header), outcome(header), () -> "header [" + header + "]");
        }
    }

    private static String outcome(String header) {
        try {
            AuthorizationHeader.Presented p = AuthorizationHeader.parse(header);
            return p.name() + "|" + p.key();
        } catch (AuthException e) {
            return e.missing() ? "missing" : "invalid";
        }
    }

    /**
     * The plain implementation, kept here as the reference: a scheme that is not ours is no credentials whatever
     * follows it; one of ours needs exactly two words.
     */
    private static String oracle(String header) {
        if (header == null || header.isBlank()) {
            return "missing";
        }
        String[] parts = header.strip().split("\\s+");
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        if (!scheme.equals("token") && !scheme.equals("apikey") && !scheme.equals("basic")) {
            return "missing";
        }
        if (parts.length != 2) {
            return "invalid";
        }
        String pair;
        switch (scheme) {
            case "token":
                return null + "|" + parts[1];
            case "apikey":
                pair = parts[1];
                break;
            case "basic":
                try {
                    pair = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return "invalid";
                }
                break;
            default:
                return "missing";
        }
        int colon = pair.indexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
            return "invalid";
        }
        return pair.substring(0, colon) + "|" + pair.substring(colon + 1);
    }
}
