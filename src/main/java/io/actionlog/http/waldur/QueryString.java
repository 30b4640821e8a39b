package io.actionlog.http.waldur;

import io.actionlog.action.Surrogates;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request's query string, read and written the way Django REST framework's paging links do it (Python's
 * {@code parse_qs(keep_blank_values=True)} and {@code urlencode(sorted(...), doseq=True)}): pairs split on
 * {@code &}, a key without {@code =} has the value {@code ""}, and on the way out keys are sorted, repeated values
 * keep their order, and everything but letters, digits and {@code _.-~} is percent-encoded in UTF-8, with a space
 * written as {@code +} (form encoding, which Django and Waldur's clients read back as a space).
 */
final class QueryString {
    private final Map<String, List<String>> params;

    private QueryString(Map<String, List<String>> params) {
        this.params = params;
    }

    static QueryString parse(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return new QueryString(params);
    }

    /** The last value of a key, as Django's {@code QueryDict.get} answers; null when absent. */
    String last(String key) {
        List<String> values = params.get(key);
        return values == null ? null : values.get(values.size() - 1);
    }

    /** This query with {@code key} set to one value, or removed when the value is null, encoded. */
    String with(String key, String value) {
        TreeMap<String, List<String>> sorted = new TreeMap<>(QueryString::byCodePoint);
        sorted.putAll(params);
        if (value == null) {
            sorted.remove(key);
        } else {
            sorted.put(key, List.of(value));
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, values) -> values.forEach(v -> {
            out.append(out.length() == 0 ? "" : "&").append(encode(k)).append('=').append(encode(v));
        }));
        return out.toString();
    }

    /** Python sorts strings by code point; Java's compareTo by UTF-16 unit, which differs above U+FFFF. */
    private static int byCodePoint(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_.-~".indexOf(c) >= 0) {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    /** Form decoding that, like Python's {@code unquote_plus}, keeps a malformed escape as it is. */
    static String decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else {
                int end = Surrogates.pairAt(s, i) ? i + 2 : i + 1;
                bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
