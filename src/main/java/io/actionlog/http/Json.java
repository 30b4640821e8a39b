package io.actionlog.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.actionlog.action.Members;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Request bodies in, compact JSON out. Parsing is strict: one value, no duplicate keys, valid UTF-8. */
public final class Json {
    // Duplicate keys are caught while the tree is built (FAIL_ON_READING_DUP_TREE_KEY), which costs nothing when
    // there are none; the parser's own STRICT_DUPLICATE_DETECTION keeps a hash set per object and was the largest
    // allocation of bulk ingest.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    /** The mapper's reading, for one value inside a document the caller goes on reading. */
    private static final ObjectReader VALUE = MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** The request body as a JSON value; a 415 for another declared type, a 400 naming the problem otherwise. */
    public static JsonNode body(RoutingContext ctx) {
        return parse(jsonBytes(ctx));
    }

    private static byte[] jsonBytes(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "Content-Type must be application/json, not " + type);
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw HttpError.badRequest("body: expected a JSON object, got nothing");
        }
        return body.getBytes();
    }

    /** One JSON document from bytes; a 400 naming the problem when it is not one. */
    public static JsonNode parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** As {@link #parse(byte[])}, for the document in {@code bytes[offset, offset + length)}. */
    public static JsonNode parse(byte[] bytes, int offset, int length) {
        try (JsonParser parser = FACTORY.createParser(bytes, offset, length)) {
            return MAPPER.readTree(parser);
        } catch (IOException e) {
            throw HttpError.badRequest("body: not valid JSON (" + problem(e) + ")");
        }
    }

    /** The request body as the members of a JSON object (null for another JSON value); errors as {@link #body}. */
    public static Members members(RoutingContext ctx) {
        byte[] bytes = jsonBytes(ctx);
        return members(bytes, 0, bytes.length);
    }

    /**
     * The document in {@code bytes[offset, offset + length)} as the members of a JSON object, or null when it is
     * another JSON value. Only the members' values are built as trees, not the object around them, which is a
     * good part of the cost of a whole tree on the bulk path. Anything unusual (not an object, a duplicate name,
     * a list of anything but strings, trailing tokens, bad JSON) sends the document through {@link #parse}
     * instead, so a refusal reads exactly as the tree parser words it.
     */
    public static Members members(byte[] bytes, int offset, int length) {
        Members m = scan(bytes, offset, length);
        return m != null ? m : Members.of(parse(bytes, offset, length));
    }

    private static Members scan(byte[] bytes, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Members m = new Members();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonNode value = switch (p.nextToken()) {
                    case VALUE_STRING -> TextNode.valueOf(p.getText());
                    case VALUE_TRUE -> BooleanNode.TRUE;
                    case VALUE_FALSE -> BooleanNode.FALSE;
                    case VALUE_NULL -> NullNode.getInstance();
                    case START_ARRAY -> strings(p);
                    default -> VALUE.readTree(p);
                };
                if (value == null || !m.add(name, value)) {
                    return null;
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null ? m : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A list of strings (parents) as the tree parser builds it; null for a list holding anything else. */
    private static JsonNode strings(JsonParser p) throws IOException {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
                return null;
            }
            list.add(TextNode.valueOf(p.getText()));
        }
        return list;
    }

    /** Jackson's message, without its advice on mapper features for a duplicate key. */
    private static String problem(IOException e) {
        String message = firstLine(e.getMessage());
        int tail = message.indexOf(" for `ObjectNode`");
        return message.startsWith("Duplicate field") && tail > 0 ? message.substring(0, tail) : message;
    }

    /** The request body as text; non-UTF-8 bytes are a 400. */
    public static String text(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("body: not valid UTF-8 text");
        }
    }

    public static String compact(JsonNode node) {
        return node.toString();
    }

    /** Writes one JSON document with a streaming generator: no intermediate tree for large lists. */
    public static Buffer write(Body body) {
        Buffer buffer = Buffer.buffer(1024);
        // Straight into the buffer that is sent: no growing array to copy the document out of afterwards.
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                buffer.appendByte((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buffer.appendBytes(b, off, len);
            }
        };
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    /** A JSON body writer that may throw the generator's IOException. */
    @FunctionalInterface
    public interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    public static Buffer error(String key, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField(key, message);
            g.writeEndObject();
        });
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
