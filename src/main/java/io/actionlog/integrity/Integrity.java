package io.actionlog.integrity;

import io.actionlog.config.Config;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tamper evidence of one server, opened and closed as one: the tree, its keeper on the writer thread, the
 * checkpoint log, the signing key and the checkpointer. The files live in {@code <data>/integrity/} (see
 * {@link TreeFile}, {@link CheckpointLog}, {@link SigningKey}).
 */
public final class Integrity implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Integrity.class.getName());

    private final TreeFile tree;
    private final CheckpointLog log;
    private final TreeKeeper keeper;
    private final Checkpointer checkpointer;
    private final ActionProof proofs;
    private final Journal journal;

    private Integrity(TreeFile tree, CheckpointLog log, TreeKeeper keeper, Checkpointer checkpointer,
                      ActionProof proofs, Journal journal) {
        this.journal = journal;
        this.tree = tree;
        this.log = log;
        this.keeper = keeper;
        this.checkpointer = checkpointer;
        this.proofs = proofs;
    }

    /** The tree file of a data directory. */
    public static Path treeFile(Path dataDir) {
        return dataDir.resolve("integrity").resolve("tree");
    }

    public static Path checkpointFile(Path dataDir) {
        return dataDir.resolve("integrity").resolve("checkpoints");
    }

    /**
     * The signing key of {@code integrity.key_file}, created when there is none, but only while the checkpoint log
     * holds no checkpoint: a new key then would sign the tree anew beside checkpoints it cannot vouch for, and every
     * one of them would fail {@code verify} for good (a key file path mistyped, or a key lost). The operator points
     * the setting at the key that signed them, or moves the log aside to start another with a new key.
     */
    public static SigningKey signingKey(Config config) throws IOException {
        Path log = checkpointFile(config.dataDir());
        if (!Files.exists(config.keyFile()) && Files.exists(log) && Files.size(log) > 0) {
            throw new IllegalStateException("integrity.key_file " + config.keyFile() + " does not exist, but the "
                    + "checkpoint log " + log + " holds checkpoints signed with a key: set integrity.key_file to the "
                    + "key that signed them (a new key would leave every one of them failing verify), or move the "
                    + "log aside to start a new log with a new key");
        }
        return SigningKey.loadOrCreate(config.keyFile(), config.integrity().origin());
    }

    /**
     * Opens everything and brings the tree up to the journal (after the index replay, before the writer starts),
     * then signs a checkpoint if the log has none of the tree as it is. A failure closes the files it opened: the
     * start that called it gives back the rest and may be tried again in the same JVM.
     */
    public static Integrity open(Config config, Journal journal, ActionIndex index) throws IOException {
        String origin = config.integrity().origin();
        SigningKey key = signingKey(config);
        TreeFile tree = TreeFile.open(treeFile(config.dataDir()));
        CheckpointLog log = null;
        try {
            TreeKeeper keeper = new TreeKeeper(tree, journal, index);
            keeper.catchUp(journal);
            log = CheckpointLog.open(checkpointFile(config.dataDir()), origin);
            Checkpointer checkpointer = new Checkpointer(tree, log, key, origin);
            // Its timer is scheduled last: a start that fails before has started no thread.
            checkpointer.start(config.integrity().checkpointSeconds());
            return new Integrity(tree, log, keeper, checkpointer, new ActionProof(journal, tree, checkpointer,
                    config.maxPageBytes()), journal);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(tree, e);
            closeAfterFailure(log, e);
            throw e;
        }
    }

    private static void closeAfterFailure(AutoCloseable file, Exception failure) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** What the writer tells of each durable entry. */
    public TreeKeeper keeper() {
        return keeper;
    }

    public Checkpointer checkpointer() {
        return checkpointer;
    }

    public ActionProof proofs() {
        return proofs;
    }

    /** Leaves in the tree that readers (proofs, checkpoints) see. */
    public long treeLeaves() {
        return tree.size();
    }

    /**
     * Journal entries not yet in the tree: a batch between its write and its publication, or, growing, entries the
     * tree missed while its writes fail (it catches up once they work again).
     */
    public long treeBehind() {
        return Math.max(0, journal.size() - tree.size());
    }

    /** Signs the final checkpoint and closes the files: call after the writer has stopped. */
    @Override
    public void close() {
        try {
            checkpointer.close();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "final checkpoint not signed", e);
        }
        try {
            tree.close();
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "the Merkle tree's last hashes not written; it catches up from the journal at the "
                    + "next start", e);
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "checkpoint log not closed cleanly", e);
        }
    }
}
