package io.actionlog.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.actionlog.action.JsonCopy;
import io.actionlog.action.JsonValue;
import io.actionlog.action.Members;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies in, compact JSON out. Parsing is strict: one value, no repeated member name, well-formed UTF-8
 * (checked by {@link Unicode#invalidUtf8} before the parser decodes anything). Numbers are never converted: a
 * body keeps them as sent ({@link JsonCopy}).
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Where {@link #asSent} keeps a request's declared type. */
    private static final String DECLARED_TYPE = "actionlog.declared-type";

    /**
     * Bodies up to this size are parsed on the event loop: the usual request is a few hundred bytes, and a hop to
     * a worker and back would cost more than parsing it. Reading a 64 KiB body of short members into an action
     * took about 0.7 ms of CPU (docs/benchmarks.md).
     */
    public static final int INLINE_BYTES = 64 * 1024;

    private Json() {
    }

    /**
     * Takes a form's declared type off the request, keeping it for {@link #bytes}, before Vert.x's body handler looks:
     * it would read such a body as form fields and fail the request, before any handler here, on a '%' that two hex
     * digits do not follow or on a field over 1 KiB. curl's {@code -d} declares every body a form. No route takes a
     * form: a log append keeps its body as sent, whatever its type, and a JSON route answers 415 naming the type.
     */
    public static RoutingContext asSent(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
            ctx.put(DECLARED_TYPE, type);
            ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        return ctx;
    }

    /** The bytes of a JSON request body; a 415 for another declared type, a 400 for none. */
    public static byte[] bytes(RoutingContext ctx) {
        String kept = ctx.get(DECLARED_TYPE);
        String type = kept != null ? kept : ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && !isType(type, "application/json")) {
            throw new HttpError(415, "Content-Type must be application/json, not " + type);
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw HttpError.badRequest("body: expected a JSON object, got nothing");
        }
        return body.getBytes();
    }

    /**
     * Whether a Content-Type header names {@code mediaType}, in any case, whatever parameters follow: the whole type,
     * not its start, so that {@code application/jsonx} or {@code application/json-patch+json} is not taken for it.
     */
    public static boolean isType(String contentType, String mediaType) {
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(mediaType);
    }

    /**
     * The document in {@code bytes[offset, offset + length)} as the members of a JSON object, or null when it is
     * another JSON value; a 400 naming the problem when it is not one well-formed JSON document. Only the
     * members are built, each value kept as its text (a container compacted), never as a tree.
     */
    public static Members members(byte[] bytes, int offset, int length) {
        int bad = Unicode.invalidUtf8(bytes, offset, offset + length);
        if (bad >= 0) {
            throw HttpError.badRequest("body: not valid UTF-8 (at byte " + (bad - offset) + ")");
        }
        try (JsonParser p = JsonCopy.FACTORY.createParser(bytes, offset, length)) {
            JsonToken first = p.nextToken();
            Members m = first == JsonToken.START_OBJECT ? object(p) : null;
            if (m == null) {
                p.skipChildren();
            }
            JsonToken after = first == null ? null : p.nextToken();
            if (after != null) {
                throw HttpError.badRequest("body: not valid JSON (more than one value: " + after + " after it)");
            }
            return m;
        } catch (IOException e) {
            throw HttpError.badRequest("body: not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static Members object(JsonParser p) throws IOException {
        Members m = new Members();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonValue value = switch (p.nextToken()) {
                case VALUE_STRING -> JsonValue.string(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> JsonValue.number(p.getText());
                case VALUE_TRUE -> JsonValue.TRUE;
                case VALUE_FALSE -> JsonValue.FALSE;
                case VALUE_NULL -> JsonValue.NULL;
                default -> JsonCopy.container(p);
            };
            if (!m.add(name, value)) {
                throw HttpError.badRequest("body: not valid JSON (Duplicate field '" + name + "')");
            }
        }
        return m;
    }

    /** The request body as text; non-UTF-8 bytes are a 400. */
    public static String text(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (Unicode.invalidUtf8(bytes, 0, bytes.length) >= 0) {
            throw HttpError.badRequest("body: not valid UTF-8 text");
        }
        return new String(bytes, StandardCharsets.UTF_8);
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
