package io.actionlog.index;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actionlog.journal.Entry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sort on a text key reads only the non-default texts, and refuses to read more than its limit. */
class TextSortLimitTest {

    private static ActionIndex index(int withError, int plain) {
        ActionIndex index = new ActionIndex();
        for (int i = 0; i < withError + plain; i++) {
            Entry.Created c = new Entry.Created(i + 1, new ActionData(UUID.randomUUID(), "pat", "act", "GET", "/p",
                    "/o/", List.of(), "10.0.0.1", "unknown", "ua", "", 1_700_000_000_000_000L + i, true, null, "rec"),
                    (byte) 0, Entry.NO_TIME, "", i < withError ? "error " + (i % 7) : "", "{}");
            long p = i;
            index.write(() -> {
                index.apply(p, c);
                return null;
            });
        }
        return index;
    }

    private static Query byError(AtomicInteger reads, int limit) {
        Query.Builder b = Query.builder();
        b.user = "pat";
        b.sort = Sort.of(List.of(new Sort.Term(Sort.Key.ERROR, false)));
        b.texts = (key, row) -> {
            reads.incrementAndGet();
            return "error " + (row.ordinal() % 7);
        };
        b.limit = limit;
        return b.build();
    }

    @Test
    void onlyActionsWithAnErrorAreRead() {
        AtomicInteger reads = new AtomicInteger();
        Page page = index(30, 500).query(byError(reads, 10));
        assertEquals(530, page.total());
        assertEquals(30, reads.get());
    }

    @Test
    void aCountReadsNothing() {
        AtomicInteger reads = new AtomicInteger();
        assertEquals(530, index(30, 500).query(byError(reads, 0)).total());
        assertEquals(0, reads.get());
    }

    @Test
    void aCountIsRefusedWhereItsPageWouldBe() {
        AtomicInteger reads = new AtomicInteger();
        ActionIndex index = index(TextSnapshot.MAX_ROWS + 1, 10);
        SortLimitException e = assertThrows(SortLimitException.class, () -> index.query(byError(reads, 0)));
        assertEquals(Sort.Key.ERROR, e.key());
        assertEquals(0, reads.get());
    }

    @Test
    void moreTextsThanTheLimitAreRefusedBeforeAnyRead() {
        AtomicInteger reads = new AtomicInteger();
        ActionIndex index = index(TextSnapshot.MAX_ROWS + 1, 0);
        SortLimitException e = assertThrows(SortLimitException.class, () -> index.query(byError(reads, 10)));
        assertEquals(Sort.Key.ERROR, e.key());
        assertEquals(0, reads.get());
    }
}
