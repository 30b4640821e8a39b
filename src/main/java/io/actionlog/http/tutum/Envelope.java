package io.actionlog.http.tutum;

import io.actionlog.http.JsonBytes;
import io.actionlog.index.Page;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Tastypie list envelope: {@code meta} with exact total and links that keep every filter of the request,
 * then {@code objects}. Link query keys are sorted so that the same page always has the same URL.
 */
final class Envelope {
    private Envelope() {
    }

    private static final byte[] META = JsonBytes.key("meta");
    private static final byte[] LIMIT = JsonBytes.key("limit");
    private static final byte[] NEXT = JsonBytes.key("next");
    private static final byte[] OFFSET = JsonBytes.key("offset");
    private static final byte[] PREVIOUS = JsonBytes.key("previous");
    private static final byte[] TOTAL_COUNT = JsonBytes.key("total_count");
    private static final byte[] OBJECTS = JsonBytes.key("objects");

    /**
     * The envelope around a page of which {@code shown} rows are written ({@code rows}, a JSON array). When a size
     * bound ended the page before {@code limit} rows, {@code next} goes on from the first row left out; {@code limit}
     * stays as asked.
     */
    static Buffer write(RoutingContext ctx, Page page, int offset, int limit, int shown, JsonBytes rows) {
        JsonBytes g = new JsonBytes(512);
        g.startObject();
        g.field(META).startObject();
        g.field(LIMIT).number(limit);
        // In long: offset and the rows shown may add up past Integer.MAX_VALUE, and must not wrap negative.
        long next = (long) offset + shown;
        g.field(NEXT).string(next < page.total() ? url(ctx, limit, next) : null);
        g.field(OFFSET).number(offset);
        g.field(PREVIOUS).string(offset > 0 ? url(ctx, limit, Math.max(0, offset - limit)) : null);
        g.field(TOTAL_COUNT).number(page.total());
        g.endObject();
        g.field(OBJECTS);
        Buffer body = Buffer.buffer(g.length() + rows.length() + 1);
        return rows.appendTo(g.appendTo(body)).appendByte((byte) '}');
    }

    private static String url(RoutingContext ctx, int limit, long offset) {
        // Every value of a repeated parameter, in the request's order, as Tastypie's links keep them.
        Map<String, List<String>> params = new TreeMap<>();
        ctx.queryParams().forEach(e -> params.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        params.put("limit", List.of(Integer.toString(limit)));
        params.put("offset", List.of(Long.toString(offset)));
        // The route's own path, not the request's: the raw path is whatever the client wrote, '..' and all.
        StringBuilder sb = new StringBuilder(TutumApi.LIST_PATH).append('?');
        params.forEach((k, values) -> values.forEach(v -> sb.append(sb.charAt(sb.length() - 1) == '?' ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return sb.toString();
    }
}
