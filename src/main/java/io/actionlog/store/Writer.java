package io.actionlog.store;

import io.actionlog.action.ActionException;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.JournalFullException;
import io.actionlog.journal.ValueNumbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that changes anything. It takes commands from a bounded queue in batches; each command runs
 * under the index's write lock, appends its entries to the journal and applies them to the index right after, so
 * later commands of the batch see earlier ones. Once the batch is made durable (per the journal's mode), the
 * replies go out: an acknowledged write is in the journal.
 *
 * <p>After a successful sync, and before the replies, the batch's entries go to every {@link Listener} in
 * journal order. Entries of a batch whose sync failed are held back and go out after the next successful sync
 * (which covers them too), so listeners see every entry exactly once, in order, and never one that is not
 * durable. Listeners run on this thread and must not block it. {@link Preparer}s are told of each entry right after
 * its append, before it is durable, to do ahead what a listener will need (the Merkle tree's leaf hashes).
 *
 * <p>A full queue refuses at once (503) instead of blocking an event loop. A journal that cannot take an entry
 * (disk full, read-only file system) fails that command with 503 and the writer goes on: with a memory-mapped
 * journal, writing to a page the file system cannot back raises {@link InternalError} rather than an
 * IOException, so that is caught too; any other throwable fails the whole batch instead of killing the thread and
 * leaving its replies unanswered.
 */
public final class Writer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());
    private static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);

    /** One change, run on the writer thread; it may read the journal and the index and call append. */
    @FunctionalInterface
    public interface Command<T> {
        T run(Writer.Appender appender);
    }

    /**
     * What a command may do to the journal: append an entry, which the index then applies. {@code ahead} is what a
     * {@link Preparer} made for the entry before the command reached the writer (null: nothing), handed back to it.
     */
    public interface Appender {
        long append(Entry entry, Object ahead);

        default long append(Entry entry) {
            return append(entry, null);
        }

        /** Appends a copy of an entry the journal holds already (retention carrying an action forward). */
        default long appendCopy(Entry entry) {
            return append(entry, COPY);
        }
    }

    /** What {@link Appender#appendCopy} passes as {@code ahead}: no preparer made it. */
    private static final Object COPY = new Object();

    /**
     * An entry as appended and applied, with its journal position; {@code copy}: a copy of an entry the journal
     * holds already, which a reader that saw the original must not take for a new one.
     */
    public record Applied(long position, Entry entry, boolean copy) {
        public Applied(long position, Entry entry) {
            this(position, entry, false);
        }
    }

    /**
     * Told of every durable entry, in journal order, on the writer thread. It must hand work off (to an event
     * loop, a bounded queue) and return at once, or do a small, bounded amount of work per entry that must be done
     * before the replies (the Merkle tree's leaves); an exception it throws is logged and otherwise ignored.
     */
    @FunctionalInterface
    public interface Listener {
        void published(List<Applied> entries);
    }

    /**
     * Told of each entry right after the journal took it and the index applied it, on the writer thread, before it
     * is durable: for work that the entry's {@link Listener}s would otherwise do later, done while the journal's
     * encoder has just read the entry ({@code numbers}: the journal's numbers of a Created entry's repeated values,
     * valid during the call; {@code ahead}: what the command brought for the entry, see {@link Appender}). Whatever
     * it prepares must wait for the entry's publication to take effect; an exception it throws is logged, and the
     * entry is published all the same.
     */
    @FunctionalInterface
    public interface Preparer {
        void appended(long position, Entry entry, ValueNumbers numbers, Object ahead);
    }

    private record Queued<T>(Command<T> command, CompletableFuture<T> reply) {
    }

    private final Journal journal;
    private final ActionIndex index;
    private final BlockingQueue<Queued<?>> queue;
    private final int batchMax;
    private final Thread thread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Preparer> preparers = new CopyOnWriteArrayList<>();
    /** Appended and applied but not yet covered by a successful sync; writer thread only. */
    private final List<Applied> unpublished = new ArrayList<>();
    /** The value numbers of the entry being appended, handed from the journal to the index; writer thread only. */
    private final ValueNumbers numbers = new ValueNumbers();
    private volatile boolean accepting = true;
    /** Told of a throwable that failed a whole batch, such as running out of heap; see {@link #onBatchFailure}. */
    private volatile Consumer<Throwable> batchFailure = t -> { };
    /** Set when the thread ends; {@link #lastOut}: what a stop it outlasted left for it to run then. Guarded by this. */
    private boolean ended;
    private Runnable lastOut;
    /**
     * Appends refused since the last one that worked, and when that was last logged (writer thread): a full disk
     * refuses every write a client repeats, thousands a second, and a log of each would fill what space is left.
     */
    private long failedAppends;
    private long failuresLoggedAt;

    public Writer(Journal journal, ActionIndex index, int queueCapacity, int batchMax) {
        this.journal = journal;
        this.index = index;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchMax = batchMax;
        this.thread = new Thread(this::loop, "actionlog-writer");
        this.thread.setDaemon(false);
    }

    public void start() {
        thread.start();
    }

    /**
     * What the process does when a batch fails on something other than a refused command: after an
     * OutOfMemoryError the index may hold less than the journal, and only a restart (a fresh replay) is trusted.
     */
    public void onBatchFailure(Consumer<Throwable> then) {
        this.batchFailure = then;
    }

    /** Adds a listener; it sees every entry published from now on. */
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Adds a preparer; it sees every entry appended from now on. */
    public void prepare(Preparer preparer) {
        preparers.add(preparer);
    }

    public <T> CompletableFuture<T> submit(Command<T> command) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        if (!accepting || !queue.offer(new Queued<>(command, reply))) {
            reply.completeExceptionally(new ActionException(ActionException.Kind.UNAVAILABLE,
                    accepting ? "too many writes waiting; try again" : "server is shutting down"));
        }
        return reply;
    }

    public int waiting() {
        return queue.size();
    }

    private void loop() {
        try {
            drain();
        } finally {
            Runnable then;
            synchronized (this) {
                ended = true;
                then = lastOut;
            }
            if (then != null) {
                try {
                    then.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "closing what the writer wrote to, after its last write, failed", e);
                }
            }
        }
    }

    private void drain() {
        List<Queued<?>> batch = new ArrayList<>(batchMax);
        while (accepting || !queue.isEmpty()) {
            try {
                Queued<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchMax - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.log(Level.SEVERE, "writer batch failed; its writes are not acknowledged", t);
                ActionException refused = new ActionException(ActionException.Kind.UNAVAILABLE, "write failed");
                batch.forEach(q -> q.reply().completeExceptionally(refused));
                batchFailure.accept(t);
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Queued<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Command<?> command = batch.get(i).command();
            try {
                results[i] = index.write(() -> command.run(this::appendAndApply));
            } catch (RuntimeException | InternalError e) {
                failures[i] = e;
            }
        }
        Throwable syncFailure = null;
        try {
            journal.sync();
        } catch (RuntimeException | InternalError e) {
            LOG.log(Level.SEVERE, "journal sync failed; the batch's writes are not acknowledged", e);
            syncFailure = new ActionException(ActionException.Kind.UNAVAILABLE, "journal could not be synced");
        }
        if (syncFailure == null) {
            publish();
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], syncFailure != null ? syncFailure : failures[i]);
        }
    }

    private void publish() {
        if (unpublished.isEmpty()) {
            return;
        }
        List<Applied> entries = List.copyOf(unpublished);
        unpublished.clear();
        for (Listener listener : listeners) {
            try {
                listener.published(entries);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "a journal listener failed; the writer carries on", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Queued<T> q, Object result, Throwable failure) {
        if (failure != null) {
            q.reply().completeExceptionally(failure);
        } else {
            q.reply().complete((T) result);
        }
    }

    /**
     * Logs the first of a run of failed appends (a full disk as a warning: the server works as it should; anything
     * else as SEVERE with its stack trace), then one line a minute while they go on.
     */
    private void appendFailed(Throwable e) {
        long now = System.nanoTime();
        boolean full = e instanceof JournalFullException;
        if (failedAppends++ == 0) {
            failuresLoggedAt = now;
            if (full) {
                LOG.warning("journal append refused: " + e.getMessage() + "; writes are refused until space is freed "
                        + "(a line a minute while they are)");
            } else {
                LOG.log(Level.SEVERE, "journal append failed (a line a minute while appends fail)", e);
            }
        } else if (now - failuresLoggedAt >= FAILURE_LOG_EVERY.toNanos()) {
            failuresLoggedAt = now;
            LOG.log(full ? Level.WARNING : Level.SEVERE, "journal appends still refused: " + failedAppends
                    + " since the first; the last: " + e.getMessage());
        }
    }

    private long appendAndApply(Entry entry, Object ahead) {
        long position;
        try {
            position = journal.append(entry, numbers);
        } catch (RuntimeException | InternalError e) {
            appendFailed(e);
            throw new ActionException(ActionException.Kind.UNAVAILABLE, "journal is not writable: " + e.getMessage());
        }
        if (failedAppends > 0) {
            LOG.info("journal appends work again, after " + failedAppends + " refused");
            failedAppends = 0;
        }
        index.apply(position, entry, numbers);
        boolean copy = ahead == COPY;
        unpublished.add(new Applied(position, entry, copy));
        for (Preparer preparer : preparers) {
            try {
                preparer.appended(position, entry, numbers, copy ? null : ahead);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "a journal preparer failed; the writer carries on", e);
            }
        }
        return position;
    }

    /** As {@link #close(Duration, Runnable)} with 30 s and nothing left to run. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30), () -> { });
    }

    /**
     * Stops taking commands and waits up to {@code wait} for the thread to finish every queued one: true when it
     * did. If it did not (a disk that takes minutes to sync, a queue of large bulk writes), {@code then} runs on the
     * writer thread once it ends: what it writes to (the journal, the tree) must be closed after its last write,
     * never under it, where a memory-mapped journal's appender would touch pages already unmapped.
     */
    public boolean close(Duration wait, Runnable then) {
        accepting = false;
        if (thread.getState() == Thread.State.NEW) {
            return true;
        }
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!ended) {
                lastOut = then;
            }
            return ended;
        }
    }
}
