package io.actionlog.index;

import java.util.List;

/** One page of a list: the exact number of matches and the rows of this page, in order. */
public record Page(long total, List<Row> rows) {
}
