package io.actionlog.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A response body too large to hold, written in chunked encoding as a worker thread reads it a chunk at a time.
 * Each chunk is read on a worker (reads block on the journal) and written on the request's event loop. Reading runs
 * ahead: as soon as a chunk is read, the next read starts, before the event loop writes the chunk, so the worker
 * does not wait on the socket's writes, and while the write queue is full one more chunk is read and held. A slow
 * client therefore holds at most {@link #HELD_CHUNKS} chunks and {@link #WRITING_CHUNKS} in writes, and the event
 * loop never waits on a read. The caller sets the status and headers, then calls {@link #start}. Its state is the event loop's.
 *
 * <p>Chunks are pooled direct buffers, which the socket sends as they are: a heap buffer would be copied into one on
 * the event loop before every write. Each is released once its write completed (or failed), or when the response
 * closes before it was written. Each is counted against the process's {@link SendBudget} from before its read to its
 * release; while the budget is spent, the next read waits ({@link #BUDGET_WAIT_MS} at a time), holding nothing.
 */
public final class ChunkedDownload {
    private static final Logger LOG = Logger.getLogger(ChunkedDownload.class.getName());
    /** What a source writes per chunk, about: one read of the backup's files, a few hundred exported actions. */
    public static final int CHUNK_BYTES = 1 << 20;
    /**
     * Chunks the response may hold in writes not yet handed to the socket before reading stops: two, so that the
     * socket always has bytes to send while the worker reads the next. Counted here, in chunks (their sizes vary
     * around {@link #CHUNK_BYTES}), not by the response's {@code writeQueueFull}, which Vert.x reports only once its
     * channel's buffer is full and 16 more writes wait behind it: about 18 MiB of chunks a paused client would pin
     * (ChunkedDownloadTest).
     */
    static final int WRITING_CHUNKS = 2;
    /** Chunks read and not yet written that a download holds at most (waiting on a full write queue). */
    static final int HELD_CHUNKS = 2;
    /** How long a download whose next chunk does not fit in the budget waits before it asks again. */
    static final long BUDGET_WAIT_MS = 100;
    private static final ByteBufAllocator CHUNKS = PooledByteBufAllocator.DEFAULT;
    /** Chunks allocated and not yet released, by every download of this process. */
    private static final AtomicInteger IN_MEMORY = new AtomicInteger();

    /** The body, read on a worker a chunk at a time, never by two threads at once. */
    @FunctionalInterface
    public interface Source {
        /**
         * Writes the next chunk of the body (about {@link #CHUNK_BYTES}) into {@code chunk}, an empty buffer that
         * grows as needed; false, with nothing written, once the body is complete.
         */
        boolean next(ByteBuf chunk) throws Exception;
    }

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Source source;
    private final SendBudget budget;
    /** Whose share of the budget the chunks take. */
    private final String caller;
    /** A timer is set to ask the budget again. */
    private boolean waiting;
    /** Chunks read but not yet written; {@code reading}: a read is running; {@code done}: the body was read whole. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(HELD_CHUNKS);
    private boolean reading;
    private boolean done;
    /** Chunks written to the response whose write has not completed yet. */
    private int writing;
    /** The response ended or its connection closed; {@code close}: the source's, until it ran. */
    private boolean over;
    private Runnable close;

    private ChunkedDownload(RoutingContext ctx, SendBudget budget, Source source) {
        this.ctx = ctx;
        this.response = ctx.response();
        this.budget = budget;
        this.caller = SendBudget.caller(ctx);
        this.source = source;
    }

    public static void start(RoutingContext ctx, SendBudget budget, Source source) {
        start(ctx, budget, source, () -> { });
    }

    /**
     * As {@link #start(RoutingContext, SendBudget, Source)}, then {@code close} once the response is over and no
     * read of the source runs: a client that goes away leaves a read under way on a worker, and closing the
     * source's files under it would fail that read (or have it open a file nobody closes).
     */
    public static void start(RoutingContext ctx, SendBudget budget, Source source, Runnable close) {
        ChunkedDownload download = new ChunkedDownload(ctx, budget, source);
        download.close = close;
        ctx.response().setChunked(true);
        // Called once the response ended or its connection closed: a chunk still held will never be written.
        ctx.addEndHandler(v -> {
            download.over = true;
            download.releaseHeld();
            download.closeIfIdle();
        });
        download.pump();
    }

    /** Once the response is over, when no read runs: the source's close, once. */
    private void closeIfIdle() {
        if (over && !reading && close != null) {
            Runnable c = close;
            close = null;
            c.run();
        }
    }

    /**
     * Starts the next read if there is room for its chunk (first, so that the worker does not wait for the writes),
     * writes what the write queue takes, and starts the read then if the writes made room for it.
     */
    private void pump() {
        if (response.closed()) {
            releaseHeld();
            return;
        }
        if (response.ended()) {
            return;
        }
        readIfRoom();
        // A read whose future was complete before its handler was set ran the handler, and a pump, at once: that
        // pump may have written the chunks and ended the response.
        while (!response.ended() && !held.isEmpty() && writing < WRITING_CHUNKS) {
            ByteBuf chunk = held.poll();
            writing++;
            // The response sends the buffer without taking it over: it is released once written. A completed write
            // makes room, so it pumps again (on the event loop, where the futures of the response complete).
            response.write(BufferInternal.buffer(chunk)).onComplete(ar -> {
                release(chunk);
                writing--;
                pump();
            });
        }
        readIfRoom();
        if (held.isEmpty() && done && !reading && !response.ended()) {
            response.end();
        }
    }

    private void readIfRoom() {
        if (!reading && !done && held.size() < HELD_CHUNKS) {
            if (budget.take(caller, CHUNK_BYTES)) {
                read();
            } else if (!waiting) {
                waiting = true;
                ctx.vertx().setTimer(BUDGET_WAIT_MS, id -> {
                    waiting = false;
                    pump();
                });
            }
        }
    }

    private void read() {
        reading = true;
        ctx.vertx().executeBlocking(this::readChunk, false).onComplete(ar -> {
            reading = false;
            if (over) {
                // The client went away during the read: its chunk goes unwritten, and its failure, if any, is that.
                if (ar.succeeded() && ar.result() != null) {
                    release(ar.result());
                }
                closeIfIdle();
                return;
            }
            try {
                if (ar.failed()) {
                    fail(ar.cause());
                    return;
                }
                if (ar.result() == null) {
                    done = true;
                } else {
                    held.add(ar.result());
                }
                pump();
            } catch (Throwable t) {
                fail(t);
            }
        });
    }

    /** On the worker, with the chunk's bytes taken from the budget: the next chunk, or null once the body is complete. */
    private ByteBuf readChunk() throws Exception {
        ByteBuf chunk;
        try {
            chunk = CHUNKS.directBuffer(CHUNK_BYTES);
        } catch (Throwable t) {
            budget.give(caller, CHUNK_BYTES);
            throw t;
        }
        IN_MEMORY.incrementAndGet();
        try {
            if (source.next(chunk)) {
                return chunk;
            }
        } catch (Throwable t) {
            release(chunk);
            throw t;
        }
        release(chunk);
        return null;
    }

    /** Chunks all downloads hold now: the pool's own counts miss chunks that its per-thread caches keep. */
    static int chunksInMemory() {
        return IN_MEMORY.get();
    }

    private void release(ByteBuf chunk) {
        chunk.release();
        IN_MEMORY.decrementAndGet();
        budget.give(caller, CHUNK_BYTES);
    }

    /** Chunks that will not be written: the response closed. Idempotent. */
    private void releaseHeld() {
        for (ByteBuf chunk = held.poll(); chunk != null; chunk = held.poll()) {
            release(chunk);
        }
    }

    /** Before the first byte, the face's failure handler answers; after it, the client sees a cut-off stream. */
    private void fail(Throwable t) {
        releaseHeld();
        done = true;
        if (!response.headWritten()) {
            ctx.fail(t);
            return;
        }
        LOG.log(Level.WARNING, ctx.request().path() + " cut off after a failure", t);
        response.reset();
    }
}
