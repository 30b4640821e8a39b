package io.actionlog.action;

import java.util.List;

/**
 * One member's value in a request object, as {@link Fields} reads it. Numbers and containers keep the text they
 * were sent as (containers compacted): a number is never converted, so any size and precision survives and none
 * can fail to convert.
 *
 * @param text    a string's value, a number's text as sent, a container's compact JSON, "true", "false" or "null"
 * @param size    items of a list or members of an object; 0 otherwise
 * @param strings a list's items when every one is a string; null otherwise
 */
public record JsonValue(Kind kind, String text, int size, List<String> strings) {
    public static final JsonValue TRUE = new JsonValue(Kind.BOOLEAN, "true", 0, null);
    public static final JsonValue FALSE = new JsonValue(Kind.BOOLEAN, "false", 0, null);
    public static final JsonValue NULL = new JsonValue(Kind.NULL, "null", 0, null);
    public static final JsonValue EMPTY_OBJECT = new JsonValue(Kind.OBJECT, "{}", 0, null);

    public enum Kind { STRING, NUMBER, BOOLEAN, NULL, OBJECT, ARRAY }

    public static JsonValue string(String value) {
        return new JsonValue(Kind.STRING, value, 0, null);
    }

    public static JsonValue number(String text) {
        return new JsonValue(Kind.NUMBER, text, 0, null);
    }

    /** A list of strings; its text is written only if asked for (parents never need it). */
    public static JsonValue strings(List<String> items) {
        return new JsonValue(Kind.ARRAY, null, items.size(), items);
    }

    @Override
    public String text() {
        return text != null ? text : JsonCopy.compact(strings);
    }

    public boolean isContainer() {
        return kind == Kind.OBJECT || kind == Kind.ARRAY;
    }

    /** As a message names it: "a string", "a number", ... */
    String described() {
        return switch (kind) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case OBJECT -> "object";
            case ARRAY -> "array";
        };
    }
}
