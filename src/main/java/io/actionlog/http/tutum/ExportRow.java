package io.actionlog.http.tutum;

import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import io.actionlog.index.Row;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Entry;
import java.nio.charset.StandardCharsets;

/**
 * One action as an export writes it, without decoding it: the stored bytes of its Created entry, its state and end
 * date as of the export's snapshot (from the row), and the error and metadata of its newest state change when it
 * has one (those replace the recorded ones). Reused from one action to the next by one export.
 */
final class ExportRow {
    final CreatedBytes created = new CreatedBytes();
    private Row row;
    private boolean changed;
    private byte[] error;
    private byte[] metadata;

    /** The action of {@code row}, whose Created entry is in {@link #created} now; {@code change} may be null. */
    void set(Row row, Entry.StateChanged change) {
        this.row = row;
        changed = change != null;
        error = changed ? utf8(change.error()) : null;
        metadata = changed ? utf8(change.metadata()) : null;
    }

    Row row() {
        return row;
    }

    State state() {
        return State.ofCode(row.state());
    }

    /** The end date, or {@link Entry#NO_TIME} while the action runs. */
    long endDate() {
        return row.endDate();
    }

    /** The bytes of a text field (null for null); error and metadata as the newest state change left them. */
    byte[] array(ActionField f) {
        return replaced(f) ? (f == ActionField.ERROR ? error : metadata) : created.array(f);
    }

    int offset(ActionField f) {
        return replaced(f) ? 0 : created.offset(f);
    }

    int length(ActionField f) {
        byte[] a = array(f);
        return a == null ? 0 : replaced(f) ? a.length : created.length(f);
    }

    /** See {@link CreatedBytes#plain}. */
    boolean plain(ActionField f) {
        return !replaced(f) && created.plain(f);
    }

    private boolean replaced(ActionField f) {
        return changed && (f == ActionField.ERROR || f == ActionField.METADATA);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
