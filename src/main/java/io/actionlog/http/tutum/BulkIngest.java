package io.actionlog.http.tutum;

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
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Lines handed to the writer as one batch. */
    public static final int CHUNK = 2048;
    private static final int CHUNKS_IN_FLIGHT = 8;
    private static final int ERRORS_SHOWN = 1000;
    private static final byte[] NOTHING = new byte[0];
    /** Ends a last line that has no newline of its own. */
    private static final byte[] NEWLINE = {'\n'};

    private final ActionStore store;
    private final Function<String, String> locate;
    private final Redaction redaction;
    private final int maxLineBytes;

    /** {@code maxLineBytes}: a line is held to the body limit of a single POST (http.max_body_bytes). */
    public BulkIngest(ActionStore store, Function<String, String> locate, Redaction redaction, int maxLineBytes) {
        this.store = store;
        this.locate = locate;
        this.redaction = redaction;
        this.maxLineBytes = maxLineBytes;
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
        if (ctx.request().headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            // The request passed every check that needs no body: tell a client that holds a large body back until
            // it hears so (curl waits a second, then sends anyway) to go on. A refused one got its answer above.
            ctx.response().writeContinue();
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
        private byte[] carry = NOTHING;
        private int carried;
        private boolean overlong;
        private boolean failed;

        Run(RoutingContext ctx, Caller caller) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.caller = caller;
        }

        void start() {
            request.handler(buffer -> guarded(() -> {
                bytes += buffer.length();
                if (bytes > MAX_BYTES && tooLarge == null) {
                    tooLarge = "a bulk request is at most " + MAX_BYTES + " bytes";
                }
                if (tooLarge == null) {
                    split(buffer);
                }
            }));
            request.endHandler(v -> guarded(() -> {
                if (tooLarge == null && (carried > 0 || overlong)) {
                    split(NEWLINE, 0, NEWLINE.length);
                }
                flush();
                Future.join(chunks).onComplete(ar -> guarded(this::reply));
            }));
            request.exceptionHandler(ctx::fail);
            request.resume();
        }

        /**
         * Runs one step of the request; anything it throws, Errors included, fails the request (its failure handler
         * answers) and ends the run, so that no later step writes a second answer.
         */
        private void guarded(Runnable step) {
            if (failed) {
                return;
            }
            try {
                step.run();
            } catch (Throwable t) {
                failed = true;
                ctx.fail(t);
            }
        }

        /** Splits a piece of the body where it lies when it is backed by an array, else from a copy. */
        private void split(Buffer piece) {
            ByteBuf bytes = piece instanceof BufferInternal b ? b.unwrap() : null;
            if (bytes != null && bytes.hasArray()) {
                int from = bytes.arrayOffset() + bytes.readerIndex();
                split(bytes.array(), from, from + bytes.readableBytes());
            } else {
                byte[] copy = piece.getBytes();
                split(copy, 0, copy.length);
            }
        }

        /**
         * Cuts data[from, to) into lines and parses each where it lies: no copy per line. A line cut by the end of
         * a piece waits in {@code carry} (grown by doubling) for the rest; a line longer than a single POST's body
         * limit is not kept at all, only refused once its end arrives.
         */
        private void split(byte[] data, int from, int to) {
            int start = from;
            for (int i = Newlines.next(data, from, to); i >= 0; i = Newlines.next(data, i + 1, to)) {
                if (overlong) {
                    line++;
                    result.refuse(line, "body: a line is at most " + maxLineBytes + " bytes (http.max_body_bytes)");
                    overlong = false;
                } else if (carried > 0) {
                    keep(data, start, i);
                    int n = carried;
                    carried = 0;
                    line(carry, 0, n);
                } else {
                    line(data, start, i - start);
                }
                start = i + 1;
            }
            keep(data, start, to);
        }

        /** Appends data[from, to) to the carried partial line, or gives the line up once it is too long. */
        private void keep(byte[] data, int from, int to) {
            int n = to - from;
            if (n == 0 || overlong) {
                return;
            }
            if (carried + n > maxLineBytes) {
                overlong = true;
                carried = 0;
                carry = NOTHING;
                return;
            }
            if (carried + n > carry.length) {
                carry = Arrays.copyOf(carry, Math.min(maxLineBytes, Math.max(carried + n, carry.length * 2)));
            }
            System.arraycopy(data, from, carry, carried, n);
            carried += n;
        }

        private void line(byte[] data, int offset, int length) {
            line++;
            if (tooLarge != null || length == 0 || (length == 1 && data[offset] == '\r')) {
                return;
            }
            if (line > MAX_LINES) {
                tooLarge = "a bulk request is at most " + MAX_LINES + " lines";
                return;
            }
            try {
                chunk.add(ActionRequests.record(Json.members(data, offset, length), caller.name(), Dates.now(),
                        locate, redaction));
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
