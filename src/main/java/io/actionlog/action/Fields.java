package io.actionlog.action;

import io.actionlog.action.JsonValue.Kind;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Typed reads of one JSON request object; every failure names the field. Text must be well-formed Unicode: half a
 * surrogate pair ({@link Surrogates}) is refused here rather than stored and then unreadable.
 */
public final class Fields {
    private final Members object;
    /**
     * The names the request gave a value, each one of the writable names. A member given as null takes its default,
     * as if absent, and is left out: a repeated record that spells a default as null ({@code "end_date": null}, as
     * the Tutum view shows it) is compared as the request that leaves it out, not against a default of its own time.
     */
    final FieldSet present;

    Fields(Members object, String[] writable, Set<String> readOnly) {
        if (object == null) {
            throw ActionException.invalid("body", "expected a JSON object");
        }
        this.object = object;
        this.present = FieldSet.of(writable, object.names(), this::has,
                name -> ActionException.invalid(name, readOnly.contains(name) ? "is read-only" : "unknown field"));
    }

    boolean has(String name) {
        return given(name) != null;
    }

    /** The value of a field the request gave and did not set to null, or null. */
    private JsonValue given(String name) {
        JsonValue v = object.get(name);
        return v == null || v.kind() == Kind.NULL ? null : v;
    }

    String text(String name, String fallback, int max) {
        JsonValue v = given(name);
        if (v == null) {
            return fallback;
        }
        if (v.kind() != Kind.STRING) {
            throw ActionException.invalid(name, "expected a string, got " + v.described());
        }
        return bounded(name, v.text(), max);
    }

    /** The text, unless it is longer than {@code max} characters or holds half a surrogate pair. */
    private static String bounded(String name, String s, int max) {
        if (longerThan(s, max)) {
            throw ActionException.invalid(name, "longer than " + max + " characters");
        }
        return wellFormed(name, s);
    }

    /**
     * Whether {@code s} holds more than {@code max} characters, counted as code points: as a client's language
     * (Python's {@code len}, a Django {@code max_length}) counts them, where an emoji is one, not two UTF-16 units.
     */
    public static boolean longerThan(String s, int max) {
        return s.length() > max && (s.length() > 2L * max || s.codePointCount(0, s.length()) > max);
    }

    private static String wellFormed(String name, String s) {
        if (Surrogates.firstLone(s) >= 0) {
            throw ActionException.invalid(name, "not valid Unicode (half a surrogate pair)");
        }
        return s;
    }

    /** A name-like string: no control characters. */
    String name(String name, String fallback, int max) {
        String s = text(name, fallback, max);
        if (s != null) {
            noControlCharacters(name, s);
        }
        return s;
    }

    private static void noControlCharacters(String name, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw ActionException.invalid(name, "contains control characters");
            }
        }
    }

    boolean bool(String name, boolean fallback) {
        JsonValue v = given(name);
        if (v == null) {
            return fallback;
        }
        if (v.kind() != Kind.BOOLEAN) {
            throw ActionException.invalid(name, "expected true or false, got " + v.described());
        }
        return v == JsonValue.TRUE;
    }

    long date(String name, long fallback) {
        JsonValue v = given(name);
        if (v == null) {
            return fallback;
        }
        if (v.kind() != Kind.STRING && v.kind() != Kind.NUMBER) {
            throw ActionException.invalid(name, "expected a date, got " + v.described());
        }
        try {
            return Dates.parse(v.text());
        } catch (IllegalArgumentException e) {
            throw ActionException.invalid(name, e.getMessage());
        }
    }

    UUID uuid(String name) {
        String s = text(name, null, 36);
        if (s == null) {
            return null;
        }
        UUID uuid = parseUuid(s);
        if (uuid == null) {
            throw ActionException.invalid(name, "not a UUID");
        }
        return uuid;
    }

    /** The 8-4-4-4-12 hex form only (UUID.fromString also takes shorter groups); null for anything else. */
    static UUID parseUuid(String s) {
        if (s.length() != 36) {
            return null;
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f') {
                return null;
            }
            if (i < 19) {
                msb = msb << 4 | digit;
            } else {
                lsb = lsb << 4 | digit;
            }
        }
        return new UUID(msb, lsb);
    }

    State state(String name, State fallback) {
        String s = text(name, null, 32);
        if (s == null) {
            return fallback;
        }
        State state = State.ofLabel(s);
        if (state == null) {
            throw ActionException.invalid(name, "'" + s + "' is not one of " + State.labels());
        }
        return state;
    }

    List<String> names(String name, int maxItems, int maxLength) {
        JsonValue v = given(name);
        if (v == null) {
            return List.of();
        }
        if (v.kind() != Kind.ARRAY) {
            throw ActionException.invalid(name, "expected a list of strings, got " + v.described());
        }
        if (v.size() > maxItems) {
            throw ActionException.invalid(name, "more than " + maxItems + " items");
        }
        List<String> items = v.strings();
        for (int i = 0; items == null || i < items.size(); i++) {
            String item = items == null ? null : items.get(i);
            if (item == null || item.isEmpty() || longerThan(item, maxLength)) {
                throw ActionException.invalid(name, "expected non-empty strings of at most " + maxLength + " characters");
            }
            wellFormed(name, item);
            // Resource URIs, as object is: names, held to what object is held to.
            noControlCharacters(name, item);
        }
        return items;
    }

    /** A string, or a JSON object or list as its compact text; secrets in either masked by {@code redaction}. */
    String textOrJson(String name, int max, Redaction redaction) {
        JsonValue v = given(name);
        if (v == null) {
            return "";
        }
        if (v.kind() != Kind.STRING && !v.isContainer()) {
            throw ActionException.invalid(name, "expected a string or a JSON object, got " + v.described());
        }
        return bounded(name, redaction.body(v), max);
    }

    /** A JSON object, as compact text ("{}" when absent). */
    String jsonObject(String name, int max) {
        JsonValue v = given(name);
        if (v == null) {
            return null;
        }
        if (v.kind() != Kind.OBJECT) {
            throw ActionException.invalid(name, "expected a JSON object, got " + v.described());
        }
        return bounded(name, v.text(), max);
    }
}
