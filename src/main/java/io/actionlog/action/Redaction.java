package io.actionlog.action;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Replaces the values of secret-looking keys in a recorded {@code body} with {@value #MASK} before anything is
 * written, so a secret a platform forwarded by mistake never reaches the journal (which is never rewritten).
 *
 * <p>A key matches when it equals one of the configured names ignoring case ({@code Password} and {@code TOKEN}
 * match {@code password} and {@code token}; {@code db_password} does not: list it too). Exact names keep
 * ordinary keys such as {@code token_type} or {@code password_policy} readable. Matching goes to any depth,
 * through objects and lists, and the whole value goes, whatever its type. A string body is redacted when it is
 * a JSON object or list, and stays a string (compact JSON text once something was redacted, byte for byte as
 * given otherwise); any other string is stored as given. Nothing but the masked values changes: numbers keep the
 * text they were sent as (see {@link JsonCopy}), and the work is one pass over the text.
 */
public final class Redaction {
    public static final String MASK = "[REDACTED]";

    private final Set<String> keys;
    /** Only ASCII keys can be looked for per character without parsing (see {@link #mayNameAKey}). */
    private final boolean asciiKeys;
    /** For ASCII keys: by ASCII character, the keys starting with it in either case. */
    private final String[][] startingWith = new String[128][];

    public Redaction(List<String> keys) {
        this.keys = Set.copyOf(keys.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList());
        this.asciiKeys = this.keys.stream().allMatch(k -> k.chars().allMatch(c -> c < 128));
        if (asciiKeys) {
            for (int c = 0; c < 128; c++) {
                char lower = Character.toLowerCase((char) c);
                startingWith[c] = this.keys.stream().filter(k -> k.isEmpty() || k.charAt(0) == lower)
                        .toArray(String[]::new);
            }
        }
    }

    public static Redaction none() {
        return new Redaction(List.of());
    }

    /** The body to store: a string as given, a container as its compact text; either redacted if JSON. */
    String body(JsonValue given) {
        String text = given.text();
        if (keys.isEmpty() || !(given.isContainer() || looksLikeJson(text)) || !mayNameAKey(text)) {
            return text;
        }
        try {
            String masked = JsonCopy.masked(text, name -> keys.contains(name.toLowerCase(Locale.ROOT)));
            return masked != null ? masked : text;
        } catch (StreamConstraintsException e) {
            // JSON past the parser's limits (nested deeper than 1,000 levels) was not read to its end, so a secret
            // past the limit would be stored as sent: refused, as the same JSON given as an object is.
            throw ActionException.invalid(ActionField.BODY.apiName(),
                    "JSON text too deep to check for secrets (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            return text;
        }
    }

    /**
     * False only when no configured key can be a key of this JSON text, which spares parsing nearly every body.
     * Case-insensitive per character, as {@link String#regionMatches(boolean, int, String, int, int)} compares,
     * which for ASCII keys matches at least everything the exact test of {@link #body} does; a non-ASCII key can
     * lower-case to a different length, so those always parse. Any backslash could be an escape that spells a key,
     * and any non-ASCII character could lower-case to an ASCII letter of one (the Kelvin sign to k), so either
     * sends the text to the parser too. Only positions whose character can start a key are compared.
     */
    private boolean mayNameAKey(String text) {
        if (!asciiKeys) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || c == '\\') {
                return true;
            }
            for (String key : startingWith[c]) {
                if (text.regionMatches(true, i, key, 0, key.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{' || c == '[';
            }
        }
        return false;
    }
}
