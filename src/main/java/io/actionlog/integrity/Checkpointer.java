package io.actionlog.integrity;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Signs checkpoints of the tree and appends them to the {@link CheckpointLog}: at start when the tree outgrew the
 * last one (or none exists), every {@code integrity.checkpoint_seconds} while the tree grows, on demand for a proof
 * the latest checkpoint does not cover, and at a clean stop. Signing runs on this class's own thread (or, at
 * start and stop, the caller's), never on the writer thread; {@link #sign} is synchronized, so sizes in the log only
 * grow. Proofs share their fresh checkpoints: one is signed at most every {@link #ON_DEMAND_GAP_MS}, for every proof
 * waiting then, so readers asking for proofs of entries being written neither sign per request nor grow the log
 * faster than that.
 *
 * <p>But for one case: a journal that lost entries a checkpoint covered (a power loss under
 * {@code journal.durability=process} can take its tail after the checkpoint reached the disk; the tree was cut back to
 * it). Those checkpoints stay in the log: they are the evidence that history was lost, and {@code verify} reports
 * them. The start logs them as an error and signs the tree as it is, so they are never the latest again, and
 * {@link #find} serves a stored checkpoint only when it is of the tree as it is now. The log is a file, which may
 * have been edited while the server was stopped: a latest checkpoint whose signature does not verify, or whose root
 * is not the tree's, is logged, kept and signed anew at start, and {@link #find} takes only one that verifies.
 */
public final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());
    static final long ON_DEMAND_GAP_MS = 1000;

    private final TreeFile tree;
    private final CheckpointLog log;
    private final SigningKey key;
    private final String origin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "actionlog-checkpoint");
        t.setDaemon(true);
        return t;
    });

    private final VerifierKey verifier;
    /** The latest checkpoint at start when it did not vouch for the tree: never served, signed anew. */
    private volatile Checkpoint distrusted;
    /**
     * The last stored checkpoint {@link #find} checked (a signature check takes about 0.1 ms): proofs against one
     * earlier size, page after page, check it once.
     */
    private volatile Checkpoint lastFound;

    /** Checkpoints this process signed and appended, and signings that failed: for /metrics. */
    private final LongAdder signedCount = new LongAdder();
    private final LongAdder failures = new LongAdder();
    /** When this process last signed one (epoch ms), 0 before. */
    private volatile long signedAt;

    /** The fresh checkpoint proofs wait for, signed at {@link #nextOnDemand} (System.nanoTime()); guarded by this. */
    private CompletableFuture<Checkpoint> pending;
    private long nextOnDemand = System.nanoTime();

    public Checkpointer(TreeFile tree, CheckpointLog log, SigningKey key, String origin) {
        this.tree = tree;
        this.log = log;
        this.key = key;
        this.verifier = key.verifier();
        this.origin = origin;
    }

    /**
     * Signs the tree as it is now when the log lacks it, or when the log's latest checkpoint does not vouch for it
     * (not signed by this key, or of another root), then every {@code seconds} while the tree grows.
     */
    public void start(int seconds) {
        Checkpoint last = log.latest();
        if (last != null && last.size() <= tree.size()) {
            String wrong = !last.signedBy(verifier) ? "its signature does not verify with this server's key"
                    : !Arrays.equals(last.root(), tree.root(Merkle.sha256(), last.size()))
                    ? "its root is not the Merkle tree's at that size" : null;
            if (wrong != null) {
                distrusted = last;
                LOG.severe("the latest checkpoint in the log, of size " + last.size() + ", does not vouch for the "
                        + "journal: " + wrong + ". It is kept in the log and not served; a new one is signed; verify "
                        + "reports it");
            }
        }
        if (last != null && last.size() > tree.size()) {
            Checkpoint above = log.firstAbove(tree.size());
            long first = above != null ? above.size() : last.size();
            LOG.severe("the checkpoint log holds checkpoints " + (first == last.size() ? "of size " + first
                    : "of sizes " + first + " to " + last.size()) + ", but the journal and the Merkle tree hold "
                    + tree.size() + " leaves: the journal lost entries those checkpoints covered (its torn tail was "
                    + "removed at recovery, or it was put back from an older copy). They are kept in the log and no "
                    + "longer served; verify reports them");
        }
        signIfGrown();
        timer.scheduleWithFixedDelay(this::tick, seconds, seconds, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            signIfGrown();
        } catch (RuntimeException e) {
            failures.increment();
            LOG.log(Level.SEVERE, "checkpoint not signed; trying again at the next interval", e);
        }
    }

    /** Signs when the tree is not the latest checkpoint's size: it grew, or, at start, the journal lost entries. */
    private void signIfGrown() {
        Checkpoint last = log.latest();
        if (last == null || tree.size() != last.size() || last == distrusted) {
            sign();
        }
    }

    /**
     * Signs and stores a checkpoint of the tree as readers see it now, unless the latest is of that size (and not
     * the one found not to vouch for the tree at start).
     */
    public synchronized Checkpoint sign() {
        long size = tree.size();
        Checkpoint last = log.latest();
        if (last != null && last.size() == size && last != distrusted) {
            return last;
        }
        Checkpoint c = Checkpoint.sign(key, origin, size, tree.root(Merkle.sha256(), size));
        log.append(c);
        signedCount.increment();
        signedAt = System.currentTimeMillis();
        return c;
    }

    /**
     * The latest checkpoint when it covers the first {@code leaves} leaves (at most the tree's size), else the fresh
     * one signed for proofs as soon as {@link #ON_DEMAND_GAP_MS} has passed since the last, shared by every caller
     * until then: it is of the tree at that moment, which covers what any of them asked for.
     */
    public CompletableFuture<Checkpoint> covering(long leaves) {
        Checkpoint last = log.latest();
        if (last != null && last.size() >= leaves) {
            return CompletableFuture.completedFuture(last);
        }
        synchronized (this) {
            last = log.latest(); // one may have been signed while this waited for the monitor
            if (last != null && last.size() >= leaves) {
                return CompletableFuture.completedFuture(last);
            }
            if (pending == null) {
                CompletableFuture<Checkpoint> signed = new CompletableFuture<>();
                pending = signed;
                try {
                    timer.schedule(() -> signFor(signed), Math.max(0, nextOnDemand - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) { // stopping
                    pending = null;
                    signed.completeExceptionally(e);
                }
            }
            return pending;
        }
    }

    private void signFor(CompletableFuture<Checkpoint> signed) {
        synchronized (this) {
            pending = null;
            nextOnDemand = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ON_DEMAND_GAP_MS);
        }
        try {
            signed.complete(sign());
        } catch (RuntimeException | Error e) { // whatever it is, the proofs waiting get an answer
            failures.increment();
            LOG.log(Level.SEVERE, "checkpoint for a proof not signed", e);
            signed.completeExceptionally(e);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    public Checkpoint latest() {
        Checkpoint last = log.latest();
        return last != null ? last : sign();
    }

    /**
     * The stored checkpoint of exactly this size, or null; never one of entries the journal lost, nor one whose
     * signature does not verify (the log is a file that could have been edited while the server was stopped).
     */
    public Checkpoint find(long size) {
        Checkpoint last = log.latest();
        if (last != null && last.size() == size && last != distrusted) {
            return last;
        }
        if (size > tree.size()) {
            return null;
        }
        Checkpoint found = lastFound;
        if (found != null && found.size() == size) {
            return found;
        }
        byte[] root = tree.root(Merkle.sha256(), size);
        found = log.find(size, c -> Arrays.equals(c.root(), root) && c.signedBy(verifier));
        if (found != null) {
            lastFound = found;
        }
        return found;
    }

    /** Checkpoints this process signed. */
    public long signedCount() {
        return signedCount.sum();
    }

    /** Signings that failed, on the timer or for proofs (each logged). */
    public long failures() {
        return failures.sum();
    }

    /** When this process last signed a checkpoint, in epoch milliseconds; 0 before its first. */
    public long signedAt() {
        return signedAt;
    }

    /** The size of the latest checkpoint in the log, 0 when there is none. */
    public long signedSize() {
        Checkpoint last = log.latest();
        return last == null ? 0 : last.size();
    }

    public SigningKey key() {
        return key;
    }

    /** Stops the timer and signs the final tree: call after the writer has stopped. */
    @Override
    public void close() {
        // Not shutdownNow: an interrupt in the middle of the log's write would close its channel (and lose the final
        // checkpoint); the periodic signing stops, and a checkpoint proofs wait for (at most a second away) is made.
        timer.shutdown();
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (pending != null) { // dropped with the timer: its proofs get an error, not a wait without end
                pending.completeExceptionally(new IllegalStateException("the server is stopping"));
            }
        }
        signIfGrown();
    }
}
