package io.actionlog.server;

import io.actionlog.store.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a start has opened so far, given back, last opened first, when the start fails: a JVM that goes on (an
 * application that embeds the server, the tests) can then start again on the same data directory, and nothing of the
 * failed start keeps running. The order is the stop's ({@link Server#close}): the cluster node, the writer, the tree,
 * Vert.x, the journal, the directory lock. Every part is bounded in time as at a stop. The parts the writer thread
 * writes to (the tree, the journal, the directory) are closed after its last write: a writer still busy after
 * {@link Server#WRITER_WAIT} closes them itself when it ends, as at a stop. Used by the starting thread only.
 */
final class Rollback {
    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    /** Gives back one part. */
    @FunctionalInterface
    interface Undo {
        void run() throws Exception;
    }

    /** {@code written}: the writer thread writes to it. */
    private record Part(String what, boolean written, Undo undo) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();

    void opened(String what, Undo undo) {
        parts.push(new Part(what, false, undo));
    }

    /** A part the writer thread writes to. */
    void openedForWriter(String what, Undo undo) {
        parts.push(new Part(what, true, undo));
    }

    /** The writer, whether or not its thread started yet (one that did not start stops at once). */
    void opened(Writer writer) {
        opened("the writer", () -> stopWriter(writer));
    }

    /**
     * Gives back every part, the last opened first. What fails to close is logged and added to {@code failure} (the
     * start's own failure, which the caller throws) as suppressed, so that it does not hide it.
     */
    void undo(Throwable failure) {
        // A start ended by an interrupt still waits for each part, within its bound: a journal closed under a writer
        // that still appends would touch pages already unmapped.
        boolean interrupted = Thread.interrupted();
        try {
            while (!parts.isEmpty()) {
                close(parts.pop(), failure);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopWriter(Writer writer) {
        List<Part> written = parts.stream().filter(Part::written).toList();
        if (!writer.close(Server.WRITER_WAIT, () -> written.forEach(p -> close(p, null)))) {
            LOG.severe("the writer is still busy after " + Server.WRITER_WAIT.toSeconds() + " s of the failed start:"
                    + " the tree, the journal and the data directory are closed after its last write");
            parts.removeIf(Part::written);
        }
    }

    /** {@code failure}: where to add what went wrong, or null when it runs after the start has thrown. */
    private static void close(Part part, Throwable failure) {
        try {
            part.undo().run();
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, "the failed start did not close " + part.what() + " cleanly", e);
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
