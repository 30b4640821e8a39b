package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.journal.ValueNumbers;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer hashes a Created entry's leaf right after the journal took it, copying each repeated value's UTF-8 as
 * the journal keeps it by number instead of encoding the string again: the leaf hash is the one of the plain
 * canonicalisation in {@link ReferenceLeaf}, for values that need escapes, non-ASCII ones, surrogates (never
 * numbered), nulls, values seen for the first time and values seen before.
 */
class AppendedLeafTest {
    private static final String[] VALUES = {"alice", "Create VM", "POST", "/api/v1/vm/12/", "10.0.0.1", "Tallinn, EE",
            "tutum-cli/0.21.1 \"quoted\"", "tab\there", "é€\u2028", "\uD83D\uDE00 pair", "lone \uD800", "ctl\u0001",
            "back\\slash", "", null};

    private final Random random = new Random(17);

    @Test
    void leavesHashedFromTheJournalsNumberedValuesMatchTheReference(@TempDir Path dir) {
        LeafBytes leaves = new LeafBytes();
        MessageDigest sha = Merkle.sha256();
        ValueNumbers numbers = new ValueNumbers();
        int numbered = 0;
        try (Journal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            for (int id = 1; id <= 2000; id++) {
                Entry.Created entry = created(id);
                journal.append(entry, numbers);
                numbered += numbers.utf8(ActionField.USER) != null ? 1 : 0;
                UUID uuid = entry.data().uuid();
                byte[] hash = new byte[Merkle.HASH_BYTES];
                leaves.hash(entry, uuid, numbers, sha, hash, 0);
                assertArrayEquals(Merkle.leafHash(sha, ReferenceLeaf.of(entry, uuid)), hash, entry::toString);
            }
        }
        assertTrue(numbered > 1000, "most users were numbered: " + numbered);
    }

    /**
     * A bulk request's worker writes a new action's leaf but for the id ({@link LeafHalves}); the writer hashes it
     * with the id it gives, whatever its number of digits: the leaf hash of the whole entry.
     */
    @Test
    void leavesHashedFromHalvesWrittenAheadMatchTheReferenceUnderAnyId() {
        LeafBytes ahead = new LeafBytes();
        LeafBytes writer = new LeafBytes();
        MessageDigest sha = Merkle.sha256();
        long[] ids = {1, 7, 9, 10, 99, 100, 12_345, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 98_765_432_101L};
        for (int i = 0; i < 500; i++) {
            Entry.Created written = created(ids[random.nextInt(ids.length)]);
            LeafHalves halves = ahead.halves(written);
            long id = ids[i % ids.length];
            Entry.Created entry = new Entry.Created(id, written.data(), written.state(), written.endDate(),
                    written.logs(), written.error(), written.metadata());
            byte[] hash = new byte[Merkle.HASH_BYTES];
            writer.hash(halves, id, sha, hash, 0);
            assertArrayEquals(Merkle.leafHash(sha, ReferenceLeaf.of(entry, entry.data().uuid())), hash,
                    entry::toString);
        }
    }

    private Entry.Created created(long id) {
        List<String> parents = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String parent = pick();
            parents.add(parent == null || parent.isEmpty() ? "/stack/" : parent);
        }
        ActionData data = new ActionData(UUID.randomUUID(), pick(), pick(), pick(), "/p/" + id + "/", pick(), parents,
                pick(), pick(), pick(), "{\"n\":" + id + "}", 1_700_000_000_000_000L + id, random.nextBoolean(),
                null, pick());
        return new Entry.Created(id, data, State.SUCCESS.code, 1_700_000_001_000_000L + id, "", "",
                random.nextBoolean() ? "{}" : "{\"b\":1,\"a\":[2]}");
    }

    private String pick() {
        return VALUES[random.nextInt(VALUES.length)];
    }
}
