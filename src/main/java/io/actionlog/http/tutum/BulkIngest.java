package io.actionlog.http.tutum;

import com.fasterxml.jackson.databind.JsonNode;
import io.actionlog.action.ActionException;
import io.actionlog.action.ActionRequests;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.action.Redaction;
import io.actionlog.auth.Caller;
import io.actionlog.http.Callers;
import io.actionlog.http.HttpError;
import io.actionlog.http.Json;
import io.actionlog.store.ActionStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code POST /api/v1/action/bulk/}: newline-delimited JSON, one action per line, validated like a single POST.
 * Lines are parsed as they arrive and handed to the writer in chunks, so parsing and appending overlap and memory
 * stays bounded; the request is paused while too many chunks wait. The reply comes once every accepted line is
 * durable: counts, and for each refused line its number and error. A refused line never stops the others.
 */
public final class BulkIngest {
    public static final int MAX_LINES = 1_000_000;
    public static final long MAX_BYTES = 512L << 20;
    static final int CHUNK = 2048;
    private static final int CHUNKS_IN_FLIGHT = 8;
    private static final int ERRORS_SHOWN = 1000;

    private final ActionStore store;
    private final Function<String, String> locate;
    private final Redaction redaction;

    public BulkIngest(ActionStore store, Function<String, String> locate, Redaction redaction) {
        this.store = store;
        this.locate = locate;
        this.redaction = redaction;
    }

    public void handle(RoutingContext ctx) {
        Caller caller = Callers.of(ctx);
        Callers.requireRecorder(ctx, caller);
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !(type.toLowerCase(Locale.ROOT).startsWith("application/x-ndjson")
                || type.toLowerCase(Locale.ROOT).startsWith("application/jsonl"))) {
            throw new HttpError(415, "Content-Type must be application/x-ndjson");
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.matches("\\d{1,19}") && Long.parseLong(length) > MAX_BYTES) {
            throw new HttpError(413, "a bulk request is at most " + MAX_BYTES + " bytes");
        }
        new Run(ctx, caller).start();
    }

    /** The state of one bulk request; lives on its event loop. */
    private final class Run {
        private final RoutingContext ctx;
        private final HttpServerRequest request;
        private final Caller caller;
        private final List<Future<Void>> chunks = new ArrayList<>();
        private final BulkResult result = new BulkResult(ERRORS_SHOWN);
        private List<NewAction> chunk = new ArrayList<>(CHUNK);
        private List<Integer> chunkLines = new ArrayList<>(CHUNK);
        private int inFlight;
        private int line;
        private long bytes;
        private String tooLarge;

        Run(RoutingContext ctx, Caller caller) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.caller = caller;
        }

        void start() {
            RecordParser lines = RecordParser.newDelimited("\n", this::line);
            request.handler(buffer -> {
                bytes += buffer.length();
                if (bytes > MAX_BYTES && tooLarge == null) {
                    tooLarge = "a bulk request is at most " + MAX_BYTES + " bytes";
                }
                if (tooLarge == null) {
                    lines.handle(buffer);
                }
            });
            request.endHandler(v -> {
                lines.handle(Buffer.buffer("\n"));
                flush();
                Future.join(chunks).onComplete(ar -> reply());
            });
            request.exceptionHandler(ctx::fail);
            request.resume();
        }

        private void line(Buffer raw) {
            line++;
            if (tooLarge != null || raw.length() == 0 || (raw.length() == 1 && raw.getByte(0) == '\r')) {
                return;
            }
            if (line > MAX_LINES) {
                tooLarge = "a bulk request is at most " + MAX_LINES + " lines";
                return;
            }
            try {
                JsonNode json = Json.parse(raw.getBytes());
                chunk.add(ActionRequests.record(json, caller.name(), Dates.now(), locate, redaction));
                chunkLines.add(line);
            } catch (ActionException | HttpError e) {
                result.refuse(line, e.getMessage());
            }
            if (chunk.size() == CHUNK) {
                flush();
            }
        }

        private void flush() {
            if (chunk.isEmpty()) {
                return;
            }
            List<Integer> numbers = chunkLines;
            Future<Void> done = Future.fromCompletionStage(store.recordAll(chunk), ctx.vertx().getOrCreateContext())
                    .map(outcomes -> {
                        result.add(numbers, outcomes);
                        return (Void) null;
                    })
                    .recover(e -> {
                        numbers.forEach(n -> result.refuse(n, e.getMessage()));
                        return Future.succeededFuture();
                    })
                    .onComplete(ar -> {
                        if (--inFlight < CHUNKS_IN_FLIGHT) {
                            request.resume();
                        }
                    });
            chunks.add(done);
            chunk = new ArrayList<>(CHUNK);
            chunkLines = new ArrayList<>(CHUNK);
            if (++inFlight >= CHUNKS_IN_FLIGHT) {
                request.pause();
            }
        }

        private void reply() {
            int status = tooLarge != null ? 413 : 200;
            TutumApi.ok(ctx, status, Json.write(g -> result.write(g, line, tooLarge)));
        }
    }
}
