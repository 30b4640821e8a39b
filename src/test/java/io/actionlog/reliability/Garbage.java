package io.actionlog.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generators of bad (and now and then good) input: JSON documents written by hand so they can hold what a JSON
 * library would refuse to write (lone surrogates, duplicate keys, huge numbers), then damaged at the byte level.
 */
final class Garbage {
    static final List<String> RECORD_FIELDS = List.of("uuid", "user", "action", "method", "path", "object",
            "parents", "ip", "location", "user_agent", "body", "state", "start_date", "end_date", "logs", "error",
            "metadata", "is_user_action");
    static final List<String> CHANGE_FIELDS = List.of("state", "error", "metadata", "end_date");
    static final List<String> OTHER_KEYS = List.of("id", "resource_uri", "can_be_canceled", "retry_of",
            "recorded_by", "Action", "unknown", "", "__proto__", "stat\u0000e", "\u00e9tat");
    static final List<String> STATES = List.of("Pending", "In progress", "Canceling", "Canceled", "Success", "Failed",
            "pending", "SUCCESS", "In%20progress", "", " Success");
    static final List<String> DATES = List.of("Wed, 17 Sep 2014 08:26:22 +0000", "2024-02-29T12:00:00Z",
            "2024-02-30T12:00:00Z", "2024-13-01", "1700000000", "1700000000.5", "-62135596801", "253402300800",
            "99999999999999999999", "1e10", "NaN", "-0", "", "yesterday", "2024-01-01T00:00:00+25:00",
            "Thu, 32 Sep 2014 08:26:22 +0000", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z",
            "2024-01-01T00:00:00.1234567Z", "\u0660\u0661\u0662");
    static final List<String> WEIRD = List.of("..", "../..", "%00", "\u0000", "%2e%2e/", "\ud83d\ude00",
            "\u202e", "<script>", "' OR 1=1 --", "\\", "\r\n", "null", "true", "{}", "[]", "\ufffd", "\u00ff");

    private Garbage() {
    }

    static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** A string: usually short and odd, sometimes very long. */
    static String text(Random r) {
        switch (r.nextInt(12)) {
            case 0:
                return "";
            case 1:
                return pick(r, WEIRD);
            case 2:
                return pick(r, DATES);
            case 3:
                return pick(r, STATES);
            case 4:
                return "x".repeat(r.nextInt(40) == 0 ? 600_000 : 200 + r.nextInt(3000));
            case 5:
                return java.util.UUID.randomUUID().toString();
            default:
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(24);
                for (int i = 0; i < n; i++) {
                    int kind = r.nextInt(10);
                    sb.append(kind == 0 ? (char) r.nextInt(0x20) : kind == 1 ? (char) (0x80 + r.nextInt(0xff80))
                            : (char) (0x20 + r.nextInt(0x5f)));
                }
                return sb.toString();
        }
    }

    /** A JSON value, as text; strings may hold escapes of any UTF-16 unit, lone surrogates included. */
    static void value(Random r, StringBuilder out, int depth) {
        switch (r.nextInt(depth > 3 ? 7 : 10)) {
            case 0 -> out.append("null");
            case 1 -> out.append(r.nextBoolean());
            case 2 -> out.append(pick(r, List.of("0", "-1", "1e400", "-1e-400", "12345678901234567890123",
                    "1.5", "-0.0", "9223372036854775808", "1E2")));
            case 3, 4, 5 -> string(r, out, text(r));
            case 6 -> string(r, out, r.nextBoolean() ? "\\ud800" : "a\\udc00b", true);
            case 7 -> {
                out.append('[');
                int n = r.nextInt(r.nextInt(20) == 0 ? 150 : 4);
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : ",");
                    value(r, out, depth + 1);
                }
                out.append(']');
            }
            default -> object(r, out, r.nextBoolean() ? RECORD_FIELDS : OTHER_KEYS, 1 + r.nextInt(4), depth + 1);
        }
    }

    static void object(Random r, StringBuilder out, List<String> keys, int n, int depth) {
        out.append('{');
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",");
            string(r, out, pick(r, keys));
            out.append(':');
            value(r, out, depth);
        }
        out.append('}');
    }

    static void string(Random r, StringBuilder out, String s) {
        string(r, out, s, false);
    }

    private static void string(Random r, StringBuilder out, String s, boolean raw) {
        out.append('"');
        if (raw) {
            out.append(s);
        } else {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || Character.isSurrogate(c)) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        out.append('"');
    }

    /**
     * A request body for an endpoint whose fields are {@code fields}: mostly an object of those fields with values
     * of random types, sometimes a plausible valid one ({@code valid}), sometimes broken at the byte level.
     */
    static byte[] body(Random r, List<String> fields, String valid) {
        int shape = r.nextInt(20);
        if (shape == 0) {
            return valid.getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder();
        if (shape == 1) {
            value(r, sb, 0);
        } else if (shape == 2) {
            int depth = 1 + r.nextInt(3000);
            sb.append("[".repeat(depth)).append("]".repeat(r.nextBoolean() ? depth : depth - 1));
        } else {
            String base = valid.substring(0, valid.length() - 1);
            sb.append(base);
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                sb.append(',');
                string(r, sb, r.nextInt(8) == 0 ? pick(r, OTHER_KEYS) : pick(r, fields));
                sb.append(':');
                value(r, sb, 1);
            }
            sb.append('}');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        return r.nextInt(5) == 0 ? damage(r, bytes) : bytes;
    }

    /** Truncates, flips, inserts invalid UTF-8 or appends garbage. */
    static byte[] damage(Random r, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(5)) {
            case 0 -> out.write(bytes, 0, bytes.length == 0 ? 0 : r.nextInt(bytes.length));
            case 1 -> {
                out.writeBytes(bytes);
                out.writeBytes(pick(r, List.of("}", "garbage", "\u0000", "{}", " ,")).getBytes(StandardCharsets.UTF_8));
            }
            case 2 -> {
                byte[] copy = bytes.clone();
                for (int i = 0; i < 1 + r.nextInt(4) && copy.length > 0; i++) {
                    copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
                }
                out.writeBytes(copy);
            }
            default -> {
                int at = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
                out.write(bytes, 0, at);
                out.writeBytes(pick(r, List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3},
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                        new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80})));
                out.write(bytes, at, bytes.length - at);
            }
        }
        return out.toByteArray();
    }

    /** A path segment or query value: odd characters, raw or percent-encoded. */
    static String segment(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                String w = pick(r, WEIRD);
                return w.matches("(?s).*[\\s\\x00].*") || r.nextBoolean() ? encode(w) : w;
            case 1:
                return "a".repeat(r.nextInt(3000));
            case 2:
                return java.util.UUID.randomUUID().toString();
            case 3:
                return java.util.UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
            case 4:
                return "%" + Integer.toHexString(r.nextInt(256)) + (r.nextBoolean() ? "%" : "%zz");
            default:
                return encode(shortText(r));
        }
    }

    private static String shortText(Random r) {
        String t = text(r);
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
