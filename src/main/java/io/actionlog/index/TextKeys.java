package io.actionlog.index;

/**
 * Reads the current text of an action for a sort on a key that is not held in memory per action: error, metadata,
 * and the action name (the index holds the actions of each name, not the name of each action). The index calls it
 * outside its lock, so it may read the journal.
 */
@FunctionalInterface
public interface TextKeys {
    String text(Sort.Key key, Row row);
}
