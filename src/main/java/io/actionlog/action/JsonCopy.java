package io.actionlog.action;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Copies JSON from a parser to a generator token by token, compacting it, and writes every number as the text it
 * was sent as: a number is never converted, so {@code 1e400} stays {@code 1e400} rather than becoming
 * {@code "Infinity"}, and {@code 1e2147483648} cannot throw. Optionally masks the values of some member names and
 * refuses a repeated name within one object. Work is linear in the input; depth is held by the parser's
 * nesting limit.
 */
public final class JsonCopy {
    /** Parses without a limit on the length of a number, since none is ever converted. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    private final Predicate<String> masked;
    private final boolean refuseRepeatedNames;
    private boolean changed;

    /** {@code masked}: names whose values are replaced by {@code mask}; null masks nothing. */
    JsonCopy(Predicate<String> masked, boolean refuseRepeatedNames) {
        this.masked = masked;
        this.refuseRepeatedNames = refuseRepeatedNames;
    }

    /**
     * The container at the parser's current token (a start of an object or list), read to its end, as a value
     * that holds its compact text. A name repeated within one object is refused, as in the request around it.
     * An empty object and a list of strings (parents), the usual containers of a request, need no generator.
     */
    public static JsonValue container(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.END_OBJECT) {
                return JsonValue.EMPTY_OBJECT;
            }
            StringWriter out = new StringWriter(64);
            int size;
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                size = new JsonCopy(null, true).members(p, g, first);
            }
            return new JsonValue(JsonValue.Kind.OBJECT, out.toString(), size, null);
        }
        List<String> strings = new ArrayList<>();
        JsonToken t = p.nextToken();
        for (; t == JsonToken.VALUE_STRING; t = p.nextToken()) {
            strings.add(p.getText());
        }
        if (t == JsonToken.END_ARRAY) {
            return JsonValue.strings(List.copyOf(strings));
        }
        StringWriter out = new StringWriter(64);
        int size = strings.size();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            JsonCopy copy = new JsonCopy(null, true);
            g.writeStartArray();
            for (String s : strings) {
                g.writeString(s);
            }
            for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
                size++;
                copy.value(p, g);
            }
            g.writeEndArray();
        }
        return new JsonValue(JsonValue.Kind.ARRAY, out.toString(), size, null);
    }

    /** A list of strings as compact JSON text. */
    static String compact(List<String> strings) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (String s : strings) {
                g.writeString(s);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The JSON text compacted with the values of {@code masked} names replaced; null when none was there. */
    static String masked(String json, Predicate<String> masked) throws IOException {
        StringWriter out = new StringWriter(json.length());
        JsonCopy copy = new JsonCopy(masked, false);
        try (JsonParser p = FACTORY.createParser(json); JsonGenerator g = FACTORY.createGenerator(out)) {
            if (p.nextToken() == null) {
                return null;
            }
            copy.value(p, g);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "more than one value");
            }
        }
        return copy.changed ? out.toString() : null;
    }

    /** Copies the value at the parser's current token. */
    private void value(JsonParser p, JsonGenerator g) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> object(p, g);
            case START_ARRAY -> {
                g.writeStartArray();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    value(p, g);
                }
                g.writeEndArray();
            }
            case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            case VALUE_NULL -> g.writeNull();
            default -> throw new JsonParseException(p, "unexpected " + p.currentToken());
        }
    }

    /** Copies the object whose start is the current token. */
    private void object(JsonParser p, JsonGenerator g) throws IOException {
        members(p, g, p.nextToken());
    }

    /** Copies an object from its first token after the start, {@code t}; returns the number of its members. */
    private int members(JsonParser p, JsonGenerator g, JsonToken t) throws IOException {
        MemberNames names = refuseRepeatedNames ? new MemberNames() : null;
        int size = 0;
        g.writeStartObject();
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            if (names != null && names.add(name) < 0) {
                throw new JsonParseException(p, "Duplicate field '" + name + "'");
            }
            size++;
            g.writeFieldName(name);
            p.nextToken();
            if (masked != null && masked.test(name)) {
                p.skipChildren();
                g.writeString(Redaction.MASK);
                changed = true;
            } else {
                value(p, g);
            }
        }
        g.writeEndObject();
        return size;
    }
}
