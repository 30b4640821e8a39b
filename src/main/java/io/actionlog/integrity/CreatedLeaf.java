package io.actionlog.integrity;

import static io.actionlog.integrity.LeafBytes.F_ACTION;
import static io.actionlog.integrity.LeafBytes.K_BODY;
import static io.actionlog.integrity.LeafBytes.K_END_DATE;
import static io.actionlog.integrity.LeafBytes.K_ERROR;
import static io.actionlog.integrity.LeafBytes.K_ID;
import static io.actionlog.integrity.LeafBytes.K_IP;
import static io.actionlog.integrity.LeafBytes.K_IS_USER_ACTION;
import static io.actionlog.integrity.LeafBytes.K_LOCATION;
import static io.actionlog.integrity.LeafBytes.K_LOGS;
import static io.actionlog.integrity.LeafBytes.K_METADATA;
import static io.actionlog.integrity.LeafBytes.K_METHOD;
import static io.actionlog.integrity.LeafBytes.K_OBJECT;
import static io.actionlog.integrity.LeafBytes.K_PARENTS;
import static io.actionlog.integrity.LeafBytes.K_PATH;
import static io.actionlog.integrity.LeafBytes.K_RECORDED_BY;
import static io.actionlog.integrity.LeafBytes.K_RETRY_OF;
import static io.actionlog.integrity.LeafBytes.K_START_DATE;
import static io.actionlog.integrity.LeafBytes.K_STATE;
import static io.actionlog.integrity.LeafBytes.K_TYPE;
import static io.actionlog.integrity.LeafBytes.K_USER;
import static io.actionlog.integrity.LeafBytes.K_USER_AGENT;
import static io.actionlog.integrity.LeafBytes.K_UUID;

import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Entry;
import io.actionlog.journal.EntryBytes;
import java.util.function.Consumer;

/**
 * The leaf bytes of a Created entry read as {@link CreatedBytes}: the members {@link LeafBytes} writes for the
 * decoded entry, in the same order, each text copied from the journal's UTF-8 (see
 * {@link CanonicalJson#string(byte[], int, int)}). Belongs to one {@link LeafBytes}, so one thread.
 */
final class CreatedLeaf {
    private final CanonicalJson out;
    private final Consumer<EntryBytes.Text> metadata;
    private final EntryBytes.Text json = new EntryBytes.Text();

    CreatedLeaf(CanonicalJson out, Consumer<EntryBytes.Text> metadata) {
        this.out = out;
        this.metadata = metadata;
    }

    void write(CreatedBytes c) {
        out.key(F_ACTION);
        text(c, ActionField.ACTION);
        out.key(K_BODY);
        text(c, ActionField.BODY);
        out.key(K_END_DATE).date(c.endDate(), Entry.NO_TIME).key(K_ERROR);
        text(c, ActionField.ERROR);
        out.key(K_ID).number(c.id()).key(K_IP);
        text(c, ActionField.IP);
        out.key(K_IS_USER_ACTION).bool(c.userAction()).key(K_LOCATION);
        text(c, ActionField.LOCATION);
        out.key(K_LOGS);
        text(c, ActionField.LOGS);
        out.key(K_METADATA);
        metadata.accept(json.of(c.array(ActionField.METADATA), c.offset(ActionField.METADATA),
                c.length(ActionField.METADATA)));
        out.key(K_METHOD);
        text(c, ActionField.METHOD);
        out.key(K_OBJECT);
        text(c, ActionField.OBJECT);
        out.key(K_PARENTS).raw("[");
        for (int i = 0; i < c.parentCount(); i++) {
            out.raw(i == 0 ? "" : ",");
            string(c.parentArray(i), c.parentOffset(i), c.parentLength(i), c.parentPlain(i));
        }
        out.raw("]").key(K_PATH);
        text(c, ActionField.PATH);
        out.key(K_RECORDED_BY);
        text(c, ActionField.RECORDED_BY);
        out.key(K_RETRY_OF);
        uuid(c.hasRetryOf(), c.retryOfHigh(), c.retryOfLow());
        out.key(K_START_DATE).date(c.startDate(), Entry.NO_TIME)
                .key(K_STATE).key(LeafBytes.STATE_LABELS[State.ofCode(c.state()).ordinal()])
                .key(K_TYPE).key(c.carried() ? LeafBytes.T_CARRIED : LeafBytes.T_CREATED)
                .key(K_USER);
        text(c, ActionField.USER);
        out.key(K_USER_AGENT);
        text(c, ActionField.USER_AGENT);
        out.key(K_UUID);
        uuid(c.hasUuid(), c.uuidHigh(), c.uuidLow());
        out.raw("}");
    }

    private void text(CreatedBytes c, ActionField field) {
        string(c.array(field), c.offset(field), c.length(field), c.plain(field));
    }

    /** A value the journal found needs no escape (valid UTF-8 of a string without surrogates) is copied unlooked. */
    private void string(byte[] array, int offset, int length, boolean plain) {
        if (plain) {
            out.quoted(array, offset, length);
        } else {
            out.string(array, offset, length);
        }
    }

    private void uuid(boolean present, long high, long low) {
        if (present) {
            out.uuid(high, low);
        } else {
            out.raw("null");
        }
    }
}
