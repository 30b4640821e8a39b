package io.actionlog.index;

/** The orders a list can come in; ties are always broken by id in the same direction. */
public enum Order {
    START_ASC, START_DESC, END_ASC, END_DESC, ID_ASC, ID_DESC;

    public boolean descending() {
        return this == START_DESC || this == END_DESC || this == ID_DESC;
    }
}
