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
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/v1/action/bulk/}: newline-delimited JSON, one action per line, validated like a single POST.
 * The event loop only cuts the body into lines as it arrives; batches of lines are parsed on a worker, one batch
 * after another, and handed to the writer in chunks, so reading, parsing and appending overlap, no line of up to
 * {@code http.max_body_bytes} holds the event loop, and memory stays bounded: the request is paused while too
 * many batches wait. The reply comes once every accepted line is durable: counts, and for each refused line its
 * number and error. A refused line never stops the others. A body past {@link #MAX_BYTES} or {@link #MAX_LINES}
 * is answered 413 as soon as the lines before the limit are recorded, whatever still comes: the rest is read and
 * thrown away for at most {@link #LINGER_BYTES} or {@link #LINGER_MS} (so that the client, still sending, reads the
 * answer rather than a reset connection), then the connection is closed.
 */
public final class BulkIngest {
    public static final int MAX_LINES = 1_000_000;
    public static final long MAX_BYTES = 512L << 20;
    /** Lines handed to the writer as one batch. */
    public static final int CHUNK = 2048;
    /** Bytes of lines parsed as one batch, unless {@link #CHUNK} lines come first. */
    private static final int BATCH_BYTES = 1 << 20;
    /**
     * The array a batch is cut into: a batch ends at the first line end past {@link #BATCH_BYTES}, so this holds
     * it unless its last line is longer than the room left. Each request keeps the arrays its parsed batches gave
     * back: an array of a megabyte is a humongous object to the G1 collector, and one grown by doubling to each
     * batch's size was several, copied on the event loop, per batch of about 1,700 lines.
     */
    private static final int BATCH_ARRAY = BATCH_BYTES + (1 << 16);
    private static final int CHUNKS_IN_FLIGHT = 8;
    /** What is read and thrown away of a body past a limit, at most, before its connection is closed. */
    public static final long LINGER_BYTES = 16L << 20;
    public static final long LINGER_MS = 5_000;
    private static final Logger LOG = Logger.getLogger(BulkIngest.class.getName());
    private static final int ERRORS_SHOWN = 1000;
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
        if (type == null || !(Json.isType(type, "application/x-ndjson") || Json.isType(type, "application/jsonl"))) {
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

    /** The state of one bulk request; lives on its event loop, except each batch while a worker parses it. */
    private final class Run {
        private final RoutingContext ctx;
        private final HttpServerRequest request;
        private final Caller caller;
        private final List<Future<Void>> chunks = new ArrayList<>();
        private final BulkResult result = new BulkResult(ERRORS_SHOWN);
        /** Arrays of parsed batches, for the next batches to be cut into; event loop only. */
        private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
        private LineBatch batch = new LineBatch(new byte[BATCH_ARRAY]);
        /** The parse of the last batch handed over: each batch is parsed after the one before, in line order. */
        private Future<?> parsing = Future.succeededFuture();
        private int inFlight;
        private int line;
        private long bytes;
        private String tooLarge;
        /** A limit was passed: no more of the body is kept, and the answer goes out once the lines before it are in. */
        private boolean stopped;
        private boolean replied;
        private long discarded;
        private boolean overlong;
        private boolean failed;

        Run(RoutingContext ctx, Caller caller) {
            this.ctx = ctx;
            this.request = ctx.request();
            this.caller = caller;
        }

        void start() {
            request.handler(buffer -> guarded(() -> {
                if (stopped) {
                    discard(buffer.length());
                    return;
                }
                long room = MAX_BYTES - bytes;
                bytes += buffer.length();
                if (bytes <= MAX_BYTES) {
                    split(buffer);
                } else {
                    // The lines this piece completes within the limit count; the one it crosses it in does not.
                    split(buffer.slice(0, (int) room));
                    if (tooLarge == null) {
                        tooLarge = "a bulk request is at most " + MAX_BYTES + " bytes";
                    }
                }
                if (tooLarge != null) {
                    stop();
                }
            }));
            request.endHandler(v -> guarded(() -> {
                if (stopped) {
                    return;
                }
                if (tooLarge == null && (batch.partial() > 0 || overlong)) {
                    split(NEWLINE, 0, NEWLINE.length);
                }
                flush();
                Future.join(chunks).onComplete(ar -> guarded(this::reply));
            }));
            request.exceptionHandler(ctx::fail);
            request.resume();
        }

        /** Past a limit: the complete lines before it go on to be recorded, and the answer follows them. */
        private void stop() {
            stopped = true;
            flush();
            Future.join(chunks).onComplete(ar -> guarded(this::reply));
        }

        /**
         * Throws away what comes after a limit; past {@link #LINGER_BYTES} the connection is closed once answered,
         * and until then reading waits for the answer.
         */
        private void discard(int length) {
            discarded += length;
            if (discarded > LINGER_BYTES) {
                if (replied) {
                    request.connection().close();
                } else {
                    request.pause();
                }
            }
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
         * Cuts data[from, to) into lines, copied into the batch: the event loop only looks for newlines and copies,
         * a worker parses. A line longer than a single POST's body limit is not kept at all, only refused once its
         * end arrives.
         */
        private void split(byte[] data, int from, int to) {
            int start = from;
            // Past a limit nothing more is read, so that the reply's count of lines does not depend on where TCP
            // cut the body.
            for (int i = Newlines.next(data, from, to); i >= 0 && tooLarge == null;
                    i = Newlines.next(data, i + 1, to)) {
                // The line may become too long in this very piece, just before its end: check after keeping it.
                keep(data, start, i);
                if (overlong) {
                    line++;
                    if (line > MAX_LINES) {
                        tooLarge = "a bulk request is at most " + MAX_LINES + " lines";
                    } else {
                        result.refuse(line, "body: a line is at most " + maxLineBytes + " bytes (http.max_body_bytes)");
                    }
                    overlong = false;
                } else {
                    endLine();
                }
                start = i + 1;
            }
            if (tooLarge == null) {
                keep(data, start, to);
            }
        }

        /** Appends data[from, to) to the line being cut, or gives the line up once it is too long. */
        private void keep(byte[] data, int from, int to) {
            if (overlong) {
                return;
            }
            if (batch.partial() + (to - from) > maxLineBytes) {
                overlong = true;
                batch.dropPartial();
                return;
            }
            batch.append(data, from, to - from);
        }

        private void endLine() {
            line++;
            int length = batch.partial();
            byte last = length == 0 ? 0 : batch.array()[batch.bytes() - 1];
            // Every line counts toward the limit, a blank one too: past it nothing more is read.
            if (tooLarge == null && line > MAX_LINES) {
                tooLarge = "a bulk request is at most " + MAX_LINES + " lines";
            }
            if (tooLarge != null || length == 0 || (length == 1 && last == '\r')) {
                batch.dropPartial();
                return;
            }
            batch.endLine(line);
            if (batch.count() == CHUNK || batch.bytes() >= BATCH_BYTES) {
                flush();
            }
        }

        /**
         * Hands the batch to a worker to parse, then its actions to the writer. Whatever happens to a batch, each
         * of its lines ends up counted: recorded, or refused by its number.
         */
        private void flush() {
            if (batch.count() == 0) {
                return;
            }
            LineBatch lines = batch;
            byte[] next = spare.poll();
            batch = new LineBatch(next != null ? next : new byte[BATCH_ARRAY]);
            Future<Parsed> parsed = parsing.transform(ar -> ctx.vertx().executeBlocking(() -> parse(lines), false));
            parsing = parsed;
            Future<Void> done = parsed.transform(ar -> {
                // Parsed (or failed): nothing made from the lines refers to their bytes.
                if (lines.array().length == BATCH_ARRAY && spare.size() < CHUNKS_IN_FLIGHT) {
                    spare.push(lines.array());
                }
                if (ar.failed()) {
                    LOG.log(Level.WARNING, "a bulk batch could not be parsed", ar.cause());
                    for (int i = 0; i < lines.count(); i++) {
                        result.refuse(lines.number(i), "line could not be read: " + ar.cause());
                    }
                    return Future.succeededFuture();
                }
                ar.result().refused().forEach(r -> result.refuse(r.line(), r.error()));
                return record(ar.result());
            }).onComplete(ar -> {
                if (--inFlight < CHUNKS_IN_FLIGHT && !(stopped && discarded > LINGER_BYTES)) {
                    request.resume();
                }
            });
            chunks.add(done);
            if (++inFlight >= CHUNKS_IN_FLIGHT) {
                request.pause();
            }
        }

        /** On a worker: each line of the batch as an action, or its refusal; one line's failure stops no other. */
        private Parsed parse(LineBatch lines) {
            List<NewAction> actions = new ArrayList<>(lines.count());
            IntArrayList numbers = new IntArrayList(lines.count());
            List<BulkResult.Refused> refused = new ArrayList<>();
            List<Object> ahead = store.worksAhead() ? new ArrayList<>(lines.count()) : null;
            byte[] data = lines.array();
            for (int i = 0; i < lines.count(); i++) {
                int number = lines.number(i);
                try {
                    NewAction action = ActionRequests.load(Json.members(data, lines.start(i),
                            lines.end(i) - lines.start(i)), caller.name(), Dates.now(), locate, redaction);
                    if (ahead != null) {
                        ahead.add(store.ahead(action));
                    }
                    actions.add(action);
                    numbers.add(number);
                } catch (ActionException | HttpError e) {
                    refused.add(new BulkResult.Refused(number, e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "bulk line " + number + " could not be read", e);
                    refused.add(new BulkResult.Refused(number, "line could not be read: " + e));
                }
            }
            return new Parsed(actions, numbers, refused, ahead);
        }

        private Future<Void> record(Parsed parsed) {
            if (parsed.actions().isEmpty()) {
                return Future.succeededFuture();
            }
            IntArrayList numbers = parsed.numbers();
            return Future.fromCompletionStage(store.recordAll(parsed.actions(), parsed.ahead()),
                            ctx.vertx().getOrCreateContext())
                    .map(outcomes -> {
                        result.add(numbers, outcomes);
                        return (Void) null;
                    })
                    .recover(e -> {
                        numbers.forEach((int n) -> result.refuse(n, e.getMessage()));
                        return Future.succeededFuture();
                    });
        }

        private void reply() {
            int status = tooLarge != null ? 413 : 200;
            replied = true;
            TutumApi.ok(ctx, status, Json.write(g -> result.write(g, line, tooLarge)));
            if (stopped && !request.isEnded()) {
                // The client is still sending: what it sends is read and thrown away for a while, then the
                // connection goes (an end of the body in time keeps it, as any answered request's).
                long timer = ctx.vertx().setTimer(LINGER_MS, t -> request.connection().close());
                request.endHandler(v -> ctx.vertx().cancelTimer(timer));
                if (discarded > LINGER_BYTES) {
                    request.connection().close();
                } else {
                    request.resume();
                }
            }
        }
    }

    /**
     * One batch parsed: the actions with their line numbers, the lines refused, and what the writer's preparers
     * made of the actions on this worker ({@link ActionStore#ahead}).
     */
    private record Parsed(List<NewAction> actions, IntArrayList numbers, List<BulkResult.Refused> refused,
                          List<?> ahead) {
    }
}
