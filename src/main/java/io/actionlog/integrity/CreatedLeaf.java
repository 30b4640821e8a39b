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
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The leaf bytes of a Created entry read as {@link CreatedBytes}: the members {@link LeafBytes} writes for the
 * decoded entry, in the same order, each text copied from the journal's UTF-8 (see
 * {@link CanonicalJson#string(byte[], int, int)}). A leaf is mostly copies of bytes made once: a repeated value's
 * whole member ({@code ,"user":"alice"}) is kept by its number in the journal, and the members that are nearly always
 * the same (state and type, no retry) are kept with their neighbours' names. Belongs to one {@link LeafBytes}, so
 * one thread.
 */
final class CreatedLeaf {
    /** Members kept per field: numbers below this, members up to {@link #KEPT_BYTES}; bounds the memory kept. */
    private static final int KEPT_NUMBERS = 1 << 14;
    private static final int KEPT_BYTES = 192;
    /** Bytes of kept members per field: a member's place in its arena and its length share an int (24 + 8 bits). */
    private static final int ARENA_BYTES = KEPT_NUMBERS * KEPT_BYTES;
    private static final int FIELDS = ActionField.values().length;
    static final byte[] NO_RETRY = CanonicalJson.join(K_RETRY_OF, "null", K_START_DATE);
    /** By state ordinal and carried (1) or not (0): {@code ,"state":"…","type":"…","user":}. */
    static final byte[][][] STATE_TYPE = new byte[LeafBytes.STATE_LABELS.length][2][];
    static final byte[][] USER_ACTION = {CanonicalJson.join(K_IS_USER_ACTION, "false", K_LOCATION),
        CanonicalJson.join(K_IS_USER_ACTION, "true", K_LOCATION)};
    private static final byte[] PATH_AFTER_PARENTS = CanonicalJson.join(new byte[0], "]", K_PATH);

    static {
        for (int s = 0; s < STATE_TYPE.length; s++) {
            byte[] label = LeafBytes.STATE_LABELS[s];
            STATE_TYPE[s][0] = CanonicalJson.join(K_STATE, "", label, K_TYPE, LeafBytes.T_CREATED, K_USER);
            STATE_TYPE[s][1] = CanonicalJson.join(K_STATE, "", label, K_TYPE, LeafBytes.T_CARRIED, K_USER);
        }
    }

    private final CanonicalJson out;
    private final Consumer<EntryBytes.Text> metadata;
    private final EntryBytes.Text json = new EntryBytes.Text();
    /**
     * By field and value number: where the member written with the value lies in the field's arena, as
     * {@code place << 8 | length} (0: not kept). The members of a field lie together in one array, not one array each:
     * a leaf copies about ten of them, and waiting for each one's own array to come from memory was 16 % of
     * {@code verify}'s hashing time.
     */
    private final int[][] keptAt = new int[FIELDS][];
    private final byte[][] arenas = new byte[FIELDS][];
    private final int[] arenaUsed = new int[FIELDS];
    /**
     * The numbering the kept members belong to ({@link CreatedBytes#numbering()}): within one, a number always stands
     * for the same bytes, so a kept member is used without looking its value up; another journal's forgets them.
     */
    private Object numbering;

    CreatedLeaf(CanonicalJson out, Consumer<EntryBytes.Text> metadata) {
        this.out = out;
        this.metadata = metadata;
    }

    void write(CreatedBytes c) {
        if (c.numbering() != numbering) {
            forget();
            numbering = c.numbering();
        }
        text(c, ActionField.ACTION, F_ACTION);
        text(c, ActionField.BODY, K_BODY);
        out.key(K_END_DATE).date(c.endDate(), Entry.NO_TIME);
        text(c, ActionField.ERROR, K_ERROR);
        out.key(K_ID).number(c.id());
        text(c, ActionField.IP, K_IP);
        out.key(USER_ACTION[c.userAction() ? 1 : 0]);
        string(c, ActionField.LOCATION);
        text(c, ActionField.LOGS, K_LOGS);
        out.key(K_METADATA);
        metadata.accept(json.of(c.array(ActionField.METADATA), c.offset(ActionField.METADATA),
                c.length(ActionField.METADATA)));
        text(c, ActionField.METHOD, K_METHOD);
        text(c, ActionField.OBJECT, K_OBJECT);
        out.key(K_PARENTS).raw("[");
        for (int i = 0; i < c.parentCount(); i++) {
            out.raw(i == 0 ? "" : ",");
            string(c.parentArray(i), c.parentOffset(i), c.parentLength(i), c.parentPlain(i));
        }
        out.key(PATH_AFTER_PARENTS);
        string(c, ActionField.PATH);
        text(c, ActionField.RECORDED_BY, K_RECORDED_BY);
        if (c.hasRetryOf()) {
            out.key(K_RETRY_OF).uuid(c.retryOfHigh(), c.retryOfLow()).key(K_START_DATE);
        } else {
            out.key(NO_RETRY);
        }
        out.date(c.startDate(), Entry.NO_TIME)
                .key(STATE_TYPE[State.ofCode(c.state()).ordinal()][c.carried() ? 1 : 0]);
        string(c, ActionField.USER);
        text(c, ActionField.USER_AGENT, K_USER_AGENT);
        out.key(K_UUID);
        if (c.hasUuid()) {
            out.uuid(c.uuidHigh(), c.uuidLow());
        } else {
            out.raw("null");
        }
        out.raw("}");
    }

    /** The member {@code name} (as {@link CanonicalJson#name} made it) with the field's value. */
    private void text(CreatedBytes c, ActionField field, byte[] name) {
        int n = c.number(field);
        if (n < 0 || n >= KEPT_NUMBERS) {
            out.key(name);
            string(c, field);
            return;
        }
        int f = field.ordinal();
        int[] kept = keptAt[f];
        if (kept == null || n >= kept.length) {
            kept = keep(f, n);
        }
        int at = kept[n];
        if (at != 0) {
            out.raw(arenas[f], at >>> 8, (at >>> 8) + (at & 0xFF));
            return;
        }
        int from = out.length();
        out.key(name);
        string(c, field);
        int length = out.length() - from;
        if (length <= KEPT_BYTES && arenaUsed[f] + length <= ARENA_BYTES) {
            byte[] arena = arenas[f];
            if (arena == null || arenaUsed[f] + length > arena.length) {
                arena = arenas[f] = Arrays.copyOf(arena == null ? new byte[0] : arena,
                        Math.min(ARENA_BYTES, Math.max(4096, (arenaUsed[f] + length) * 2)));
            }
            System.arraycopy(out.array(), from, arena, arenaUsed[f], length);
            kept[n] = arenaUsed[f] << 8 | length; // never 0: a member has its name
            arenaUsed[f] += length;
        }
    }

    private int[] keep(int f, int n) {
        int size = Math.min(KEPT_NUMBERS, Math.max(64, Integer.highestOneBit(n) * 2));
        return keptAt[f] = keptAt[f] == null ? new int[size] : Arrays.copyOf(keptAt[f], size);
    }

    /** Lets go of every kept member: they were another numbering's. The arrays stay, to be filled again. */
    private void forget() {
        for (int f = 0; f < FIELDS; f++) {
            if (keptAt[f] != null) {
                Arrays.fill(keptAt[f], 0);
            }
            arenaUsed[f] = 0;
        }
    }

    private void string(CreatedBytes c, ActionField field) {
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
}
