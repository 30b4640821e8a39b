package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActionHeadsTest {
    @Test
    void headsWithManyLongParentsAreKeptToABoundedNumberOfCharacters() {
        ActionHeads heads = new ActionHeads(null); // only a miss reads the store, and nothing here misses
        // The most parents an action may have, each as long as it may be: one string, shared, so that the test
        // itself holds next to nothing however many heads the cache keeps.
        List<String> parents = Collections.nCopies(100, "p".repeat(2048));
        for (long id = 1; id <= 2_000; id++) {
            heads.remember(id, new ActionEvent.Head(UUID.randomUUID(), "alice", "/api/v1/cluster/1/", parents));
        }
        long oneHead = 100 * 2048 + 36 + 5 + 18;
        long held = heads.heldChars();
        assertTrue(held <= ActionHeads.MAX_CHARS + oneHead, held + " characters held");
    }
}
