package io.actionlog.integrity;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes recorded JSON text (an action's metadata) into a {@link CanonicalJson} in RFC 8785 form: no whitespace,
 * strings re-escaped as JCS asks, members in UTF-16 order of their names (a repeated name keeps its place among its
 * equals), numbers as the text they were recorded as, since the server never converts one. Written by hand for
 * the writer thread and {@code verify}, which do it for nearly every entry: a JSON parser per entry cost more than
 * the rest of the leaf. The text was checked as JSON when it was recorded; one that does not parse here is an
 * {@link IllegalArgumentException} naming the offset, and nothing after the first value is read.
 *
 * <p>Members are written where they stand; only an object whose names are out of order is rewritten, from a copy of
 * its members. One instance per {@link CanonicalJson}, so one thread.
 */
final class RecordedJson {
    /**
     * Metadata repeats: a few shapes with a few values each. The canonical bytes of the last short texts seen are
     * kept by hash (a slot per hash, the newest text wins), so that a repeated text is copied, not parsed again.
     */
    private static final int CACHED = 64;
    private static final int CACHED_CHARS = 128;
    private final String[] cachedTexts = new String[CACHED];
    private final byte[][] cachedBytes = new byte[CACHED][];
    /** The same for texts given as UTF-8 ({@code verify} reads them so): the bytes, and their canonical bytes. */
    private final byte[][] cachedUtf8 = new byte[CACHED][];
    private final byte[][] cachedUtf8Bytes = new byte[CACHED][];
    private final CanonicalJson out;
    /** The chars of the last string read, when it had escapes. */
    private final StringBuilder unescaped = new StringBuilder();
    private String text;
    private int at;
    /** Where the chars of the last string read without escapes begin; they end before the quote at at - 1. */
    private int plainFrom;

    RecordedJson(CanonicalJson out) {
        this.out = out;
    }

    void write(String json) {
        if (json.equals("{}")) {
            out.raw("{}");
            return;
        }
        if (json.length() > CACHED_CHARS) {
            parse(json);
            return;
        }
        int h = json.hashCode();
        int slot = (h ^ h >>> 16) & (CACHED - 1);
        if (json.equals(cachedTexts[slot])) {
            out.key(cachedBytes[slot]);
            return;
        }
        int from = out.length();
        parse(json);
        cachedTexts[slot] = json;
        cachedBytes[slot] = Arrays.copyOfRange(out.array(), from, out.length());
    }

    /** As {@link #write(String)} for the text of these UTF-8 bytes: a repeated one is not even decoded. */
    void write(byte[] utf8, int offset, int length) {
        if (length > CACHED_CHARS) {
            parse(new String(utf8, offset, length, StandardCharsets.UTF_8));
            return;
        }
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + utf8[i];
        }
        int slot = (h ^ h >>> 16) & (CACHED - 1);
        byte[] cached = cachedUtf8[slot];
        if (cached != null && Arrays.equals(cached, 0, cached.length, utf8, offset, offset + length)) {
            out.key(cachedUtf8Bytes[slot]);
            return;
        }
        int from = out.length();
        write(new String(utf8, offset, length, StandardCharsets.UTF_8));
        cachedUtf8[slot] = Arrays.copyOfRange(utf8, offset, offset + length);
        cachedUtf8Bytes[slot] = Arrays.copyOfRange(out.array(), from, out.length());
    }

    private void parse(String json) {
        text = json;
        at = 0;
        try {
            value();
        } finally {
            text = null;
        }
    }

    private void value() {
        int c = skipSpace();
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> {
                if (string()) {
                    out.string(text, plainFrom, at - 1);
                } else {
                    out.string(unescaped.toString());
                }
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object() {
        at++;
        int base = out.length();
        out.raw("{");
        if (skipSpace() == '}') {
            at++;
            out.raw("}");
            return;
        }
        List<String> names = new ArrayList<>(4);
        IntArrayList starts = new IntArrayList(4);
        boolean sorted = true;
        for (int c = ','; c != '}'; c = next(",}")) {
            if (skipSpace() != '"') {
                throw notJson();
            }
            if (!names.isEmpty()) {
                out.raw(",");
            }
            starts.add(out.length());
            String name = string() ? text.substring(plainFrom, at - 1) : unescaped.toString();
            sorted &= names.isEmpty() || names.get(names.size() - 1).compareTo(name) <= 0;
            names.add(name);
            out.string(name);
            next(":");
            out.raw(":");
            value();
        }
        if (!sorted) {
            sort(base + 1, names, starts);
        }
        out.raw("}");
    }

    /** Rewrites the members that begin at {@code starts} (the first at {@code from}) in the order of their names. */
    private void sort(int from, List<String> names, IntArrayList starts) {
        int n = names.size();
        int end = out.length();
        byte[] members = Arrays.copyOfRange(out.array(), from, end);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            for (; j > 0 && names.get(order[j - 1]).compareTo(names.get(i)) > 0; j--) {
                order[j] = order[j - 1];
            }
            order[j] = i;
        }
        out.cut(from);
        for (int k = 0; k < n; k++) {
            int m = order[k];
            int memberEnd = m + 1 < n ? starts.getInt(m + 1) - 1 : end; // before the comma that follows
            if (k > 0) {
                out.raw(",");
            }
            out.raw(members, starts.getInt(m) - from, memberEnd - from);
        }
    }

    private void array() {
        at++;
        out.raw("[");
        if (skipSpace() == ']') {
            at++;
            out.raw("]");
            return;
        }
        value();
        while (next(",]") == ',') {
            out.raw(",");
            value();
        }
        out.raw("]");
    }

    /**
     * Reads the string whose quote is at {@link #at}: true when it has no escape (its chars are from
     * {@link #plainFrom} to the char before {@link #at} - 1), false when its chars are in {@link #unescaped}.
     */
    private boolean string() {
        int from = ++at;
        for (char c = charAt(at); c != '\\'; c = charAt(at)) {
            at++;
            if (c == '"') {
                plainFrom = from;
                return true;
            }
            if (c < 0x20) {
                throw notJson();
            }
        }
        unescaped.setLength(0);
        unescaped.append(text, from, at);
        for (char c = charAt(at++); c != '"'; c = charAt(at++)) {
            if (c < 0x20) {
                throw notJson();
            }
            unescaped.append(c == '\\' ? unescape() : c);
        }
        return false;
    }

    private char unescape() {
        char e = charAt(at++);
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(charAt(at++), 16);
                    if (d < 0) {
                        throw notJson();
                    }
                    v = v << 4 | d;
                }
                yield (char) v;
            }
            default -> throw notJson();
        };
    }

    /** A number's text as it stands, once it is checked to be one: {@code -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?}. */
    private void number() {
        int from = at;
        if (at < text.length() && text.charAt(at) == '-') {
            at++;
        }
        int whole = at;
        digits();
        if (at - whole > 1 && text.charAt(whole) == '0') {
            throw notJson();
        }
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            digits();
        }
        out.raw(text, from, at);
    }

    private void digits() {
        int from = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == from) {
            throw notJson();
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, at)) {
            throw notJson();
        }
        at += word.length();
        out.raw(word);
    }

    /** Skips whitespace and reads one of {@code allowed}, which it returns; anything else does not parse. */
    private int next(String allowed) {
        int c = skipSpace();
        if (c < 0 || allowed.indexOf(c) < 0) {
            throw notJson();
        }
        at++;
        return c;
    }

    /** The char at {@link #at} after whitespace, not consumed; -1 at the end of the text. */
    private int skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c;
            }
            at++;
        }
        return -1;
    }

    private char charAt(int i) {
        if (i >= text.length()) {
            throw notJson();
        }
        return text.charAt(i);
    }

    private IllegalArgumentException notJson() {
        return new IllegalArgumentException("recorded JSON does not parse at offset " + at);
    }
}
