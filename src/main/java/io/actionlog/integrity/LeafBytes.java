package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import io.actionlog.journal.EntryBytes;
import io.actionlog.journal.ValueNumbers;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

/**
 * The leaf bytes of a journal entry: the public contract of the tree (README, "Tamper evidence"). One JSON object
 * in RFC 8785 canonical form with {@code type} ({@code created}, {@code state}, {@code log}), the action's
 * {@code uuid} and {@code id}, and the entry's fields under their names in the Tutum detail view ({@code carried} for a
 * Created entry retention carried forward, with the same members), and retention's {@code expired} and
 * {@code dropped}, which belong to no action; dates are RFC 3339
 * in UTC with six fraction digits. The members below are written in the sorted order JCS asks for, by hand, since
 * this runs for every entry the writer appends and for every entry {@code verify} reads.
 *
 * <p>Not thread-safe: one instance per thread. Entries must carry their texts (not {@link Entry#TEXT_LEFT_OUT}).
 */
public final class LeafBytes {
    static final byte[] F_ACTION = CanonicalJson.name("action", true);
    static final byte[] F_AT = CanonicalJson.name("at", true);
    static final byte[] F_FROM = CanonicalJson.name("from", true);
    static final byte[] F_IDS = CanonicalJson.name("ids", true);
    static final byte[] K_HIGHEST_ID = CanonicalJson.name("highest_id", false);
    static final byte[] K_POLICY = CanonicalJson.name("policy", false);
    static final byte[] K_TO = CanonicalJson.name("to", false);
    static final byte[] K_BODY = CanonicalJson.name("body", false);
    static final byte[] K_END_DATE = CanonicalJson.name("end_date", false);
    static final byte[] K_ERROR = CanonicalJson.name("error", false);
    static final byte[] K_ID = CanonicalJson.name("id", false);
    static final byte[] K_IP = CanonicalJson.name("ip", false);
    static final byte[] K_IS_USER_ACTION = CanonicalJson.name("is_user_action", false);
    static final byte[] K_LOCATION = CanonicalJson.name("location", false);
    static final byte[] K_LOGS = CanonicalJson.name("logs", false);
    static final byte[] K_METADATA = CanonicalJson.name("metadata", false);
    static final byte[] K_METHOD = CanonicalJson.name("method", false);
    static final byte[] K_OBJECT = CanonicalJson.name("object", false);
    static final byte[] K_PARENTS = CanonicalJson.name("parents", false);
    static final byte[] K_PATH = CanonicalJson.name("path", false);
    static final byte[] K_RECORDED_BY = CanonicalJson.name("recorded_by", false);
    static final byte[] K_RETRY_OF = CanonicalJson.name("retry_of", false);
    static final byte[] K_START_DATE = CanonicalJson.name("start_date", false);
    static final byte[] K_STATE = CanonicalJson.name("state", false);
    static final byte[] K_TYPE = CanonicalJson.name("type", false);
    static final byte[] K_USER = CanonicalJson.name("user", false);
    static final byte[] K_USER_AGENT = CanonicalJson.name("user_agent", false);
    static final byte[] K_UUID = CanonicalJson.name("uuid", false);
    /** State labels and entry types as JSON strings, by state code: written for nearly every entry. */
    static final byte[][] STATE_LABELS = java.util.Arrays.stream(State.values())
            .map(st -> CanonicalJson.encoded(st.label)).toArray(byte[][]::new);
    static final byte[] T_CREATED = CanonicalJson.encoded("created");
    static final byte[] T_CARRIED = CanonicalJson.encoded("carried");
    private static final byte[] T_STATE = CanonicalJson.encoded("state");
    private static final byte[] T_LOG = CanonicalJson.encoded("log");
    private final CanonicalJson out = new CanonicalJson();
    private final RecordedJson recorded = new RecordedJson(out);
    private final CreatedLeaf createdLeaf = new CreatedLeaf(out, this::metadata);
    /** Where the digits of the id of the last Created entry written begin. */
    private int idAt;

    /** The leaf bytes of {@code entry}, which belongs to the action with this uuid. */
    public byte[] of(Entry entry, UUID uuid) {
        write(entry, uuid, ValueNumbers.NONE, false);
        return out.toBytes();
    }

    /** Writes the leaf hash of {@code entry} at {@code into[at]}, without a copy of its leaf bytes. */
    public void hash(Entry entry, UUID uuid, MessageDigest digest, byte[] into, int at) {
        hash(entry, uuid, ValueNumbers.NONE, digest, into, at);
    }

    /**
     * As {@link #hash(Entry, UUID, MessageDigest, byte[], int)} for an entry just appended, whose repeated values'
     * UTF-8 the journal keeps by the numbers it gave them ({@link ValueNumbers#utf8}): those are copied, not encoded
     * from their strings again. The same bytes either way.
     */
    public void hash(Entry entry, UUID uuid, ValueNumbers numbers, MessageDigest digest, byte[] into, int at) {
        write(entry, uuid, numbers, true);
        Merkle.prefixedLeafHash(digest, out.array(), out.length(), into, at);
    }

    /**
     * The leaf bytes of a Created entry but for its id, which the writer gives: what a bulk request's worker makes of
     * a new action ahead of the writer (see {@link TreeKeeper#ahead}). {@link #hash(LeafHalves, long, MessageDigest,
     * byte[], int)} then gives the leaf hash of the same entry under any id.
     */
    public LeafHalves halves(Entry.Created entry) {
        // The head starts with the leaf's 0x00, which the writer then need not hash on its own.
        write(entry, null, ValueNumbers.NONE, true);
        int digits = CanonicalJson.digits(entry.id());
        byte[] all = out.array();
        return new LeafHalves(Arrays.copyOf(all, idAt),
                Arrays.copyOfRange(all, idAt + digits, out.length()));
    }

    /** The leaf hash of the Created entry of these halves under the id {@code id}, written at {@code into[at]}. */
    public void hash(LeafHalves halves, long id, MessageDigest digest, byte[] into, int at) {
        out.reset();
        out.number(id);
        Merkle.prefixedLeafHash(digest, halves.head(), out.array(), out.length(), halves.tail(), into, at);
    }

    /**
     * The leaf bytes of an entry read as {@link EntryBytes}, which belongs to the action with the uuid of these
     * halves ({@code hasUuid} false: none): the same bytes as {@link #of(Entry, UUID)} of the decoded entry.
     */
    public byte[] of(EntryBytes entry, boolean hasUuid, long uuidHigh, long uuidLow) {
        write(entry, hasUuid, uuidHigh, uuidLow, false);
        return out.toBytes();
    }

    /** As {@link #hash(Entry, UUID, MessageDigest, byte[], int)} for an entry read as {@link EntryBytes}. */
    public void hash(EntryBytes entry, boolean hasUuid, long uuidHigh, long uuidLow, MessageDigest digest,
                     byte[] into, int at) {
        write(entry, hasUuid, uuidHigh, uuidLow, true);
        Merkle.prefixedLeafHash(digest, out.array(), out.length(), into, at);
    }

    /**
     * Starts the leaf: after RFC 9162's 0x00 leaf prefix when it is written to be hashed ({@code prefixed}: the digest
     * then takes prefix and leaf in one update), else at 0.
     */
    private void start(boolean prefixed) {
        if (prefixed) {
            out.reset((byte) 0);
        } else {
            out.reset();
        }
    }

    private void write(EntryBytes entry, boolean hasUuid, long uuidHigh, long uuidLow, boolean prefixed) {
        switch (entry.kind()) {
            case CREATED -> {
                start(prefixed);
                createdLeaf.write(entry.created());
            }
            case STATE_CHANGED -> {
                start(prefixed);
                out.key(F_AT).date(entry.at(), Entry.NO_TIME)
                        .key(K_END_DATE).date(entry.endDate(), Entry.NO_TIME)
                        .key(K_ERROR).string(entry.error().array(), entry.error().offset(), entry.error().length())
                        .key(K_ID).number(entry.id())
                        .key(K_METADATA);
                metadata(entry.metadata());
                out.key(K_STATE).encodedValue(STATE_LABELS[State.ofCode(entry.state()).ordinal()])
                        .key(K_TYPE).encodedValue(T_STATE)
                        .key(K_UUID);
                uuid(hasUuid, uuidHigh, uuidLow).raw("}");
            }
            case LOG_APPENDED -> {
                start(prefixed);
                EntryBytes.Text t = entry.text();
                out.key(F_AT).date(entry.at(), Entry.NO_TIME)
                        .key(K_ID).number(entry.id())
                        .key(K_LOGS).string(t.array(), t.offset(), t.length())
                        .key(K_TYPE).encodedValue(T_LOG)
                        .key(K_UUID);
                uuid(hasUuid, uuidHigh, uuidLow).raw("}");
            }
            default -> write(entry.retention(), null, ValueNumbers.NONE, prefixed);
        }
    }

    private CanonicalJson uuid(boolean hasUuid, long high, long low) {
        return hasUuid ? out.uuid(high, low) : out.raw("null");
    }

    /** Recorded JSON given as UTF-8: {@code {}} as it is, anything else canonicalized from its text. */
    private void metadata(EntryBytes.Text json) {
        byte[] b = json.array();
        if (b == null) {
            recorded.write(null);
        } else if (json.length() == 2 && b[json.offset()] == '{' && b[json.offset() + 1] == '}') {
            out.raw("{}");
        } else {
            recorded.write(b, json.offset(), json.length());
        }
    }

    private void write(Entry entry, UUID uuid, ValueNumbers numbers, boolean prefixed) {
        start(prefixed);
        if (entry instanceof Entry.Created c) {
            created(c, numbers);
        } else if (entry instanceof Entry.Expired e) {
            expired(e);
        } else if (entry instanceof Entry.Dropped d) {
            dropped(d);
        } else if (entry instanceof Entry.StateChanged s) {
            state(s, uuid);
        } else {
            log((Entry.LogAppended) entry, uuid);
        }
    }

    private void created(Entry.Created c, ValueNumbers n) {
        ActionData d = c.data();
        out.key(F_ACTION);
        value(d.action(), n, ActionField.ACTION);
        out.key(K_BODY).string(d.body())
                .key(K_END_DATE).date(c.endDate(), Entry.NO_TIME)
                .key(K_ERROR).string(c.error())
                .key(K_ID);
        idAt = out.length();
        out.number(c.id())
                .key(K_IP);
        value(d.ip(), n, ActionField.IP);
        out.key(CreatedLeaf.USER_ACTION[d.userAction() ? 1 : 0]);
        value(d.location(), n, ActionField.LOCATION);
        out.key(K_LOGS).string(c.logs())
                .key(K_METADATA);
        recorded.write(c.metadata());
        out.key(K_METHOD);
        value(d.method(), n, ActionField.METHOD);
        out.key(K_OBJECT);
        value(d.object(), n, ActionField.OBJECT);
        out.key(K_PARENTS).raw("[");
        for (int i = 0; i < d.parents().size(); i++) {
            out.raw(i == 0 ? "" : ",");
            byte[] utf8 = n.parentUtf8(i);
            if (utf8 == null) {
                out.string(d.parents().get(i));
            } else {
                known(utf8, n.parentPlain(i));
            }
        }
        out.raw("]").key(K_PATH).string(d.path())
                .key(K_RECORDED_BY);
        value(d.recordedBy(), n, ActionField.RECORDED_BY);
        if (d.retryOf() == null) {
            out.key(CreatedLeaf.NO_RETRY);
        } else {
            out.key(K_RETRY_OF).uuid(d.retryOf()).key(K_START_DATE);
        }
        out.date(d.startDate(), Entry.NO_TIME)
                .key(CreatedLeaf.STATE_TYPE[State.ofCode(c.state()).ordinal()][c.carried() ? 1 : 0]);
        value(d.user(), n, ActionField.USER);
        out.key(K_USER_AGENT);
        value(d.userAgent(), n, ActionField.USER_AGENT);
        out.key(K_UUID).uuid(d.uuid()).raw("}");
    }

    /** A repeated value: its UTF-8 as the journal keeps it by number when there is one, else from the string. */
    private void value(String value, ValueNumbers numbers, ActionField field) {
        byte[] utf8 = numbers.utf8(field);
        if (utf8 == null) {
            out.string(value);
        } else {
            known(utf8, numbers.plain(field));
        }
    }

    /** UTF-8 the journal found needs no escape is copied unlooked (as {@link CreatedLeaf} does for verify). */
    private void known(byte[] utf8, boolean plain) {
        if (plain) {
            out.quoted(utf8, 0, utf8.length);
        } else {
            out.string(utf8, 0, utf8.length);
        }
    }

    /** Retention's entries belong to no action: no {@code id}, no {@code uuid}. Id ranges as [first,last] pairs. */
    private void expired(Entry.Expired e) {
        out.key(F_IDS).raw("[");
        long[] ids = e.ids();
        for (int i = 0; i < ids.length; i += 2) {
            out.raw(i == 0 ? "[" : ",[").number(ids[i]).raw(",").number(ids[i + 1]).raw("]");
        }
        out.raw("]").key(K_POLICY).string(e.policy())
                .key(K_TYPE).string("expired").raw("}");
    }

    private void dropped(Entry.Dropped d) {
        out.key(F_FROM).number(d.from())
                .key(K_HIGHEST_ID).number(d.highestId())
                .key(K_POLICY).string(d.policy())
                .key(K_TO).number(d.to())
                .key(K_TYPE).string("dropped").raw("}");
    }

    private void state(Entry.StateChanged s, UUID uuid) {
        out.key(F_AT).date(s.at(), Entry.NO_TIME)
                .key(K_END_DATE).date(s.endDate(), Entry.NO_TIME)
                .key(K_ERROR).string(s.error())
                .key(K_ID).number(s.id())
                .key(K_METADATA);
        recorded.write(s.metadata());
        out.key(K_STATE).string(State.ofCode(s.state()).label)
                .key(K_TYPE).string("state")
                .key(K_UUID).uuid(uuid).raw("}");
    }

    private void log(Entry.LogAppended l, UUID uuid) {
        out.key(F_AT).date(l.at(), Entry.NO_TIME)
                .key(K_ID).number(l.id())
                .key(K_LOGS).string(l.text())
                .key(K_TYPE).string("log")
                .key(K_UUID).uuid(uuid).raw("}");
    }
}
