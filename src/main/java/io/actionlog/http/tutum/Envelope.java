package io.actionlog.http.tutum;

import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.Page;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Tastypie list envelope: {@code meta} with exact total and links that keep every filter of the request,
 * then {@code objects}. Link query keys are sorted so that the same page always has the same URL.
 */
final class Envelope {
    private Envelope() {
    }

    /** {@code objects}: the page's rows, already written as a JSON array. */
    static void write(JsonGenerator g, RoutingContext ctx, Page page, int offset, int limit, JsonBytes objects)
            throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("meta");
        g.writeNumberField("limit", limit);
        link(g, "next", offset + limit < page.total() ? url(ctx, limit, offset + limit) : null);
        g.writeNumberField("offset", offset);
        link(g, "previous", offset > 0 ? url(ctx, limit, Math.max(0, offset - limit)) : null);
        g.writeNumberField("total_count", page.total());
        g.writeEndObject();
        g.writeFieldName("objects");
        g.writeRawValue(objects);
        g.writeEndObject();
    }

    private static void link(JsonGenerator g, String name, String url) throws IOException {
        if (url == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, url);
        }
    }

    private static String url(RoutingContext ctx, int limit, int offset) {
        Map<String, String> params = new TreeMap<>();
        ctx.queryParams().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
        params.put("limit", Integer.toString(limit));
        params.put("offset", Integer.toString(offset));
        StringBuilder sb = new StringBuilder(ctx.request().path()).append('?');
        params.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '?' ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
