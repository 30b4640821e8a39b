package io.actionlog.http.tutum;

import io.actionlog.action.Dates;
import io.actionlog.action.State;
import io.actionlog.auth.Caller;
import io.actionlog.http.Callers;
import io.actionlog.http.HttpError;
import io.actionlog.http.QueryParams;
import io.actionlog.http.Replies;
import io.actionlog.index.Histogram;
import io.actionlog.index.Query;
import io.actionlog.store.ActionStore;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/action/stats/}: how many of the actions a list with the same filters would show started in
 * each hour or day (UTC), per state. Answered from the index alone: the uuid filters are taken only as far as the
 * index settles them (a prefix of up to 16 hex digits). The count visits every match, so it runs on a worker
 * thread rather than an event loop; the number of buckets in an answer is bounded.
 */
final class ActionStats {
    static final int MAX_BUCKETS = 10_000;
    private static final long HOUR = 3_600_000_000L;
    private static final long DAY = 24 * HOUR;

    private ActionStats() {
    }

    static void answer(RoutingContext ctx, ActionStore store) {
        Caller caller = Callers.of(ctx);
        MultiMap params = ctx.queryParams();
        long width = width(QueryParams.last(params, "interval"));
        Query.Builder query = ListParams.parse(params, caller);
        ListParams.UuidFilter uuids = ListParams.uuidFilter(params);
        if (uuids.exact() != null) {
            throw HttpError.badRequest("uuid: not available here (stats read only the index); use uuid__startswith"
                    + " with at most 16 hex digits");
        }
        if (uuids.prefix() != null) {
            if (uuids.prefix().replace("-", "").length() > 16) {
                throw HttpError.badRequest("uuid__startswith: at most 16 hex digits here (stats read only the index)");
            }
            query.restrict = UuidMatches.resolve(store, uuids, query.restrict);
        }
        Query q = query.build();
        Replies.after(ctx, ctx.vertx().executeBlocking(() -> histogram(store, q, width), false).toCompletionStage(),
                h -> ctx.response().putHeader("Content-Type", "application/json")
                        .end(json(QueryParams.last(params, "interval"), h)));
    }

    private static Histogram histogram(ActionStore store, Query q, long width) {
        try {
            return store.index().histogram(q, width, MAX_BUCKETS);
        } catch (Histogram.TooManyBuckets e) {
            throw HttpError.badRequest("interval: the matches span " + e.getMessage()
                    + "; narrow the start_date range or use a wider interval");
        }
    }

    private static long width(String interval) {
        if (interval == null || interval.equals("day")) {
            return DAY;
        }
        if (interval.equals("hour")) {
            return HOUR;
        }
        throw HttpError.badRequest("interval: expected hour or day, got '" + interval + "'");
    }

    /**
     * Written by hand: an answer by hour over a month has 720 buckets of eight numbers, and every text in it (the
     * interval, dates, state labels) is plain ASCII that needs no escaping.
     */
    private static Buffer json(String interval, Histogram h) {
        StringBuilder sb = new StringBuilder(64 + h.buckets().size() * 160);
        sb.append("{\"interval\":\"").append(interval == null ? "day" : interval).append("\",\"total\":")
                .append(h.total()).append(",\"buckets\":[");
        for (int i = 0; i < h.buckets().size(); i++) {
            Histogram.Bucket b = h.buckets().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"start\":\"").append(Dates.rfc3339(b.start()))
                    .append("\",\"total\":").append(b.total()).append(",\"states\":{");
            for (State s : State.values()) {
                sb.append(s.ordinal() == 0 ? "" : ",").append('"').append(s.label).append("\":").append(b.count(s));
            }
            sb.append("}}");
        }
        return Buffer.buffer(sb.append("]}").toString());
    }
}
