package io.actionlog.store;

import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Journal;
import java.util.List;

/**
 * The Created entries of a page's rows, for writing the rows in the page's order while holding a bounded number of
 * bytes of them. At construction the entries are read in journal order (a page of neighbours, newest first, then
 * reads forward from one entry to the next instead of looking each one up) and kept while their sizes add up to at
 * most the budget; an entry that no longer fits is read again, alone, when its row is written. So memory is the
 * budget plus one entry, whatever the page's rows hold, and a page of ordinary rows costs what it did.
 *
 * <p>One thread, one pass: {@link #get} hands each row's entry over once, in any order.
 */
public final class PageEntries {
    private final Journal journal;
    private final List<Row> rows;
    private final CreatedBytes[] held;
    private final CreatedBytes spare = new CreatedBytes();

    PageEntries(Journal journal, List<Row> rows, long budgetBytes) {
        this.journal = journal;
        this.rows = rows;
        this.held = new CreatedBytes[rows.size()];
        long left = budgetBytes;
        for (int i : ActionReader.journalOrder(rows)) {
            if (left <= 0) {
                break;
            }
            CreatedBytes c = new CreatedBytes();
            if (journal.readCreated(rows.get(i).created(), c, (int) Math.min(left, Integer.MAX_VALUE))) {
                held[i] = c;
                left -= c.size();
            }
        }
    }

    public int size() {
        return held.length;
    }

    /**
     * Row {@code i}'s Created entry. One that was not held is read now into an object that the next call reuses: write
     * the row before asking for the next.
     */
    public CreatedBytes get(int i) {
        CreatedBytes c = held[i];
        if (c != null) {
            held[i] = null;
            return c;
        }
        journal.readCreated(rows.get(i).created(), spare);
        return spare;
    }
}
