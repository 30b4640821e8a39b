package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import io.actionlog.store.Entries;
import io.actionlog.store.Writer;
import io.actionlog.tools.SyntheticActions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A leaf written before the id is known hashes, once given the id, as the leaf of the entry the writer appends. */
class PreparedLeafTest {
    private static final long[] IDS = {1, 9, 10, 99, 100, 1_234_567, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
        Long.MAX_VALUE};
    private final MessageDigest digest = Merkle.sha256();

    private static List<NewAction> actions() {
        List<NewAction> actions = new ArrayList<>();
        SyntheticActions synthetic = new SyntheticActions(3, 200, 1_767_225_600_000_000L);
        while (synthetic.hasNext()) {
            actions.add(synthetic.next());
        }
        ActionData odd = new ActionData(UUID.randomUUID(), "z\u00fc\"rich\"", "Create \uD83D\uDE00", "POST",
                "/a\\b/", "", List.of("/p/\u20ac/", "/q/"), "", "unknown", "tab\there", "{\"k\":\"\\u0001\"}",
                -5, false, UUID.randomUUID(), "rec");
        actions.add(new NewAction(odd, State.FAILED, 7, "line\n", "err\u2028", "{\"b\":1,\"a\":[true,null]}",
                Set.of()));
        return actions;
    }

    @Test
    void aPreparedLeafGivenItsIdHashesAsTheLeafOfTheAppendedEntry() {
        Function<NewAction, Writer.Prepared> prepare = PreparedLeaf.maker();
        LeafBytes leaves = new LeafBytes();
        for (NewAction action : actions()) {
            PreparedLeaf leaf = (PreparedLeaf) prepare.apply(action);
            for (long id : IDS) {
                Entry.Created appended = Entries.created(id, action);
                assertTrue(leaf.isFor(appended));
                byte[] expected = Merkle.leafHash(digest, new LeafBytes().of(appended, action.data().uuid()));
                byte[] hash = new byte[Merkle.HASH_BYTES];
                leaves.hash(leaf, id, digest, hash, 0);
                assertArrayEquals(expected, hash, action + " as id " + id);
            }
        }
    }

    @Test
    void aPreparedLeafIsForNoOtherEntry() {
        List<NewAction> actions = actions();
        PreparedLeaf leaf = (PreparedLeaf) PreparedLeaf.maker().apply(actions.get(0));
        NewAction same = actions.get(0);
        NewAction copy = new NewAction(same.data(), same.state(), same.endDate(), same.logs(), same.error(),
                new String(same.metadata().toCharArray()), same.supplied());
        assertFalse(leaf.isFor(Entries.created(5, actions.get(1))));
        assertFalse(leaf.isFor(Entries.created(5, copy)), "equal values, but not the action it was written for");
        assertFalse(leaf.isFor(Entries.created(5, same).carriedForward()));
    }
}
