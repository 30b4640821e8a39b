package io.actionlog.integrity;

import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Base64;
import java.util.UUID;

/**
 * The inclusion proof of an action's journal entries against a signed checkpoint, as
 * {@code GET /api/v1/action/<uuid>/proof/} answers it, and the consistency proof between two tree sizes. Reads the
 * journal and the tree file only; safe on any thread.
 */
public final class ActionProof {
    /** Most entries one answer proves: an action's log appends are not bounded, an answer is. */
    public static final int MAX_ENTRIES = 1000;

    private final Journal journal;
    private final TreeFile tree;
    private final Checkpointer checkpoints;

    public ActionProof(Journal journal, TreeFile tree, Checkpointer checkpoints) {
        this.journal = journal;
        this.tree = tree;
        this.checkpoints = checkpoints;
    }

    /** Why a proof was refused: the parameter that is wrong, for a 400, or a missing checkpoint, for a 404. */
    public static final class Refused extends RuntimeException {
        private final boolean notFound;

        Refused(boolean notFound, String message) {
            super(message, null, false, false);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /**
     * The proof of the entries of the action at {@code row} below the tree size, oldest first, from the first after
     * leaf {@code after} (-1: from the first), at most {@link #MAX_ENTRIES}; {@code next} then names the leaf to go
     * on after. The tree size is {@code treeSize} when one is asked for (a checkpoint of that size must exist), else
     * the latest checkpoint's, or a fresh one's when that does not cover the action yet.
     */
    public JsonObject inclusion(Row row, UUID uuid, Long treeSize, long after) {
        Checkpoint c;
        if (treeSize == null) {
            c = checkpoints.covering(Math.min(row.last() + 1, tree.size()));
        } else {
            c = checkpoints.find(treeSize);
            if (c == null) {
                throw new Refused(true, "tree_size: no checkpoint of size " + treeSize);
            }
            if (treeSize <= row.created()) {
                throw new Refused(false, "tree_size: " + treeSize + " does not cover the action (its first entry is "
                        + "leaf " + row.created() + ")");
            }
        }
        MessageDigest digest = Merkle.sha256();
        LeafBytes leaves = new LeafBytes();
        Base64.Encoder b64 = Base64.getEncoder();
        JsonArray entries = new JsonArray();
        LongArrayList positions = positions(row, c.size(), after);
        for (int i = 0; i < Math.min(positions.size(), MAX_ENTRIES); i++) {
            long position = positions.getLong(i);
            byte[] leaf = leaves.of(journal.read(position), uuid);
            JsonArray path = new JsonArray();
            Merkle.inclusionPath(digest, position, c.size(), tree::subtree).forEach(h -> path.add(b64.encodeToString(h)));
            entries.add(new JsonObject().put("leaf_index", position)
                    .put("leaf", new String(leaf, StandardCharsets.UTF_8))
                    .put("leaf_hash", b64.encodeToString(Merkle.leafHash(digest, leaf)))
                    .put("audit_path", path));
        }
        JsonObject proof = new JsonObject().put("tree_size", c.size()).put("root_hash", b64.encodeToString(c.root()))
                .put("checkpoint", c.note()).put("entries", entries);
        if (positions.size() > MAX_ENTRIES) {
            proof.put("next_after", positions.getLong(MAX_ENTRIES - 1));
        }
        return proof;
    }

    /**
     * The action's entry positions after {@code after} and below {@code size}, oldest first, following the chain
     * back from its last entry (8 bytes an entry).
     */
    private LongArrayList positions(Row row, long size, long after) {
        LongArrayList out = new LongArrayList();
        long at = row.last();
        while (at != Entry.NO_POSITION && at >= row.created() && at > after) {
            if (at < size) {
                out.add(at);
            }
            if (at == row.created()) {
                break;
            }
            Entry e = journal.readLinks(at);
            at = e instanceof Entry.StateChanged s ? s.previous() : ((Entry.LogAppended) e).previous();
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** The consistency proof from the tree of {@code first} leaves to that of {@code second}, base64 hashes. */
    public JsonObject consistency(long first, long second) {
        JsonArray proof = new JsonArray();
        Merkle.consistencyProof(Merkle.sha256(), first, second, tree::subtree)
                .forEach(h -> proof.add(Base64.getEncoder().encodeToString(h)));
        return new JsonObject().put("first", first).put("second", second).put("proof", proof);
    }

    public long treeSize() {
        return tree.size();
    }
}
