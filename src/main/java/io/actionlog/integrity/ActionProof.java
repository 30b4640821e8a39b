package io.actionlog.integrity;

import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;

/**
 * The inclusion proof of an action's journal entries against a signed checkpoint, as
 * {@code GET /api/v1/action/<uuid>/proof/} answers it, and the consistency proof between two tree sizes. Reads the
 * journal and the tree file only; safe on any thread.
 */
public final class ActionProof {
    /** Most entries one answer proves: an action's log appends are not bounded, an answer is. */
    public static final int MAX_ENTRIES = 1000;
    /**
     * How long a proof waits for the tree to take in the action's newest entry, which the index holds a moment
     * before the tree does; only a tree whose writes fail keeps it waiting that long, and then the answer is 503.
     */
    static final long TREE_WAIT_MS = 250;
    /** Most links of the action's chain one answer follows, entries after the asked tree size included. */
    static final int MAX_WALK = 4 * MAX_ENTRIES;

    private final Journal journal;
    private final TreeFile tree;
    private final Checkpointer checkpoints;
    /**
     * Most bytes of JSON the entries of one answer take, but for its first entry ({@code http.max_page_bytes}):
     * counted as sent, since escaping can double a leaf's text and audit paths add a kilobyte an entry.
     */
    private final long maxBytes;

    public ActionProof(Journal journal, TreeFile tree, Checkpointer checkpoints, long maxBytes) {
        this.journal = journal;
        this.tree = tree;
        this.checkpoints = checkpoints;
        this.maxBytes = maxBytes;
    }

    /** Why a proof was refused: a wrong parameter (400), a missing checkpoint (404), or an entry not in the tree yet (503). */
    public static final class Refused extends RuntimeException {
        public enum Kind { BAD_REQUEST, NOT_FOUND, NOT_YET }

        private final Kind kind;

        Refused(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * The checkpoint a proof of the action at {@code row} is against: the stored one of size {@code treeSize} when
     * one is asked for, else the latest, or the fresh one signed for proofs when that does not cover the action yet
     * (see {@link Checkpointer#covering}). Reads the checkpoint log: call on a worker.
     */
    public CompletableFuture<Checkpoint> checkpointFor(Row row, Long treeSize) {
        if (treeSize == null) {
            if (!awaitTree(row.last() + 1)) {
                throw new Refused(Refused.Kind.NOT_YET, "the action's newest entry (leaf " + row.last()
                        + ") is not in the tree yet");
            }
            return checkpoints.covering(row.last() + 1);
        }
        Checkpoint c = checkpoints.find(treeSize);
        if (c == null) {
            throw new Refused(Refused.Kind.NOT_FOUND, "tree_size: no checkpoint of size " + treeSize);
        }
        if (treeSize <= row.created()) {
            throw new Refused(Refused.Kind.BAD_REQUEST, "tree_size: " + treeSize + " does not cover the action "
                    + "(its first entry is leaf " + row.created() + ")");
        }
        return CompletableFuture.completedFuture(c);
    }

    /**
     * One page of the proof of the action at {@code row} against {@code c}: walking back along the action's chain
     * (it links each entry to the one before) from its newest entry, or from the one before leaf {@code before} (-1:
     * from the newest), it keeps at most {@link #MAX_ENTRIES} entries below the checkpoint's size and
     * {@code maxBytes} of entries' JSON (at least one entry), and walks at most {@link #MAX_WALK} links, entries of the
     * tree's future included; the page lists what it kept oldest first, and {@code next_before} the leaf to go on
     * before while older entries remain. So a page costs what it shows, however many entries the action has.
     */
    public JsonObject page(Checkpoint c, Row row, UUID uuid, long before) {
        MessageDigest digest = Merkle.sha256();
        LeafBytes leaves = new LeafBytes();
        Base64.Encoder b64 = Base64.getEncoder();
        List<JsonObject> kept = new ArrayList<>();
        long at = before < 0 ? row.last() : previous(row, before);
        long consumed = before;
        long bytes = 0;
        for (int walked = 0; at != Entry.NO_POSITION && walked < MAX_WALK && kept.size() < MAX_ENTRIES; walked++) {
            Entry e;
            if (at < c.size()) {
                e = journal.read(at);
                byte[] leaf = leaves.of(e, uuid);
                JsonArray path = new JsonArray();
                Merkle.inclusionPath(digest, at, c.size(), tree::subtree)
                        .forEach(h -> path.add(b64.encodeToString(h)));
                JsonObject entry = new JsonObject().put("leaf_index", at)
                        .put("leaf", new String(leaf, StandardCharsets.UTF_8))
                        .put("leaf_hash", b64.encodeToString(Merkle.leafHash(digest, leaf)))
                        .put("audit_path", path);
                long size = entry.toBuffer().length() + 1L; // and the comma before it
                if (!kept.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                bytes += size;
                kept.add(entry);
            } else {
                e = journal.readLinks(at);
            }
            consumed = at;
            at = at == row.created() ? Entry.NO_POSITION : previous(e);
        }
        Collections.reverse(kept);
        JsonObject proof = new JsonObject().put("tree_size", c.size()).put("root_hash", b64.encodeToString(c.root()))
                .put("checkpoint", c.note()).put("entries", new JsonArray(kept));
        if (at != Entry.NO_POSITION) {
            proof.put("next_before", consumed);
        }
        return proof;
    }

    /** The position of the action's entry before leaf {@code before}, which must be one of the action's entries. */
    private long previous(Row row, long before) {
        Entry e = before >= row.created() && before <= row.last() ? journal.readLinks(before) : null;
        long id = e instanceof Entry.Created c ? c.id() : e instanceof Entry.StateChanged s ? s.id()
                : e instanceof Entry.LogAppended l ? l.id() : -1;
        if (id != row.id() || (e instanceof Entry.Created && before != row.created())) {
            throw new Refused(Refused.Kind.BAD_REQUEST, "before: leaf " + before + " is not an entry of this action");
        }
        return before == row.created() ? Entry.NO_POSITION : previous(e);
    }

    private static long previous(Entry e) {
        return e instanceof Entry.StateChanged s ? s.previous() : ((Entry.LogAppended) e).previous();
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

    private boolean awaitTree(long leaves) {
        try {
            return tree.awaitSize(leaves, TREE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
