package io.actionlog.index;

/**
 * Reads the current text of an action for a sort on a key that is not held in memory (error, metadata). The
 * index calls it outside its lock, so it may read the journal.
 */
@FunctionalInterface
public interface TextKeys {
    String text(Sort.Key key, Row row);
}
