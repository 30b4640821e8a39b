package io.actionlog.index;

/**
 * A sort on a text key would need more journal reads than {@link TextSnapshot#MAX_ROWS}: refused rather than
 * slowing every writer behind it. The message names the limit; each API face decides how to show it.
 */
public final class SortLimitException extends RuntimeException {
    private final Sort.Key key;

    SortLimitException(Sort.Key key, int rows) {
        super("sorting by this key reads the text of every matching action that has one; " + rows
                + " match, at most " + TextSnapshot.MAX_ROWS + " are allowed", null, false, false);
        this.key = key;
    }

    public Sort.Key key() {
        return key;
    }
}
