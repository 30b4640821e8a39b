package io.actionlog.http.tutum;

import io.actionlog.http.JsonBytes;
import io.actionlog.index.Row;
import io.actionlog.store.ActionReader;
import java.util.List;

/**
 * The part of a Tutum list request that {@code bench render} measures on its own: reading a page's Created entries
 * and writing them as the list's JSON array. It lives with the tests, in the views' package, so that the views stay
 * package-private in the product.
 */
public final class ListRendering {
    private ListRendering() {
    }

    /** The default of http.max_page_bytes, which a page of generated rows stays far below. */
    private static final int MAX_PAGE_BYTES = 4 << 20;

    /** Reads and writes the rows of a page as a list does; returns the number of bytes written. */
    public static int page(ActionReader reader, List<Row> rows) {
        JsonBytes out = new JsonBytes(TutumView.pageCapacity(rows.size()));
        TutumView.rows(out, reader.page(rows, MAX_PAGE_BYTES), rows, MAX_PAGE_BYTES);
        return out.length();
    }
}
