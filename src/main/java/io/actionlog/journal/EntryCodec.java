package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The one class that owns the bytes of an entry; a format change is a diff of this file alone. Layout, format 2:
 * <pre>
 *   version u8 (=2) | type u8 | flags u8 | fields of the type, in record order | CRC-32C u32 (little-endian)
 * </pre>
 * The checksum covers every byte before it. Longs are zigzag LEB128 varints; a string is an unsigned varint of
 * (UTF-8 length + 1), 0 meaning null, followed by its UTF-8 bytes; a list is a varint of (size + 1), 0 meaning null,
 * followed by its strings; a UUID is 16 raw bytes. Optional values (UUIDs, times that may be {@link Entry#NO_TIME})
 * are announced by flag bits, and an end date is stored as the difference to the entry's start or move time,
 * which is usually small. No field names are stored: the order is the format. A Created entry's fields follow the
 * order of {@link ActionField}; its three walks here (encode, decode, and the scan that list rows read) are written
 * out by hand because they are the hot paths of replay and lists, and a test holds each of them to the list.
 *
 * Absolute times are stored relative to {@link #TIME_BASE}. {@link EncodeBuffer} writes and {@link ByteReader} reads
 * these primitives; the order of the fields is here alone.
 *
 * <p>Values of the fields that {@link ActionField#repeated() repeat} (user, action name, method, object, parents,
 * ip, location, user agent, recorded by) are numbered per journal by a {@link ValueTable}. Such a value is an unsigned varint code: 0 null; 1 followed by a
 * string, a value without a number; 2 followed by a varint number and a string, the value's first use, which defines
 * the number; n &ge; 3 the value numbered n - 3. Format 1, in which these were plain strings like the others, is
 * still read. A typical generated action takes about 145 bytes on disk where format 1 took about 260.
 *
 * <p>Keeps no state of its own (the {@link ValueTable} it is given does); an {@link EncodeBuffer} belongs to one
 * thread. Decoding never lets an index exception escape: anything that is not a well-formed entry of a known
 * version becomes a {@link CorruptEntryException}. Malformed UTF-8 inside a string that passed the checksum
 * decodes with replacement characters, as in the JDK.
 */
public final class EntryCodec {

    public static final int VERSION = 2;
    static final int PLAIN_STRINGS_VERSION = 1;
    static final int CREATED = 1;
    static final int STATE_CHANGED = 2;
    static final int LOG_APPENDED = 3;
    static final int CHECKSUM_BYTES = 4;
    /** 2025-01-01T00:00Z in microseconds: absolute times are stored relative to it, 7 bytes until 2033. */
    static final long TIME_BASE = 1_735_689_600_000_000L;
    private static final int MIN_LENGTH = 3 + CHECKSUM_BYTES;
    private static final int STATE_COUNT = State.values().length;
    /** Codes that begin a repeated value, format 2 (see the class doc). */
    private static final int NULL_VALUE = 0;
    private static final int UNNUMBERED_VALUE = 1;
    private static final int DEFINED_VALUE = 2;
    private static final int NUMBERED_VALUE = 3;
    /** A list's count is its size + 1; this one stands for no list at all. */
    private static final int NULL_LIST = 0;
    /** Bits of a Created entry's flags byte: the one boolean field, and which optional values follow. */
    private static final int USER_ACTION_FLAG = 1;
    private static final int UUID_FLAG = 1 << 1;
    private static final int RETRY_OF_FLAG = 1 << 2;
    private static final int START_FLAG = 1 << 3;
    private static final int END_FLAG = 1 << 4;
    /** A Created entry written by retention's carry-forward ({@link Entry.Created#carried()}). */
    private static final int CARRIED_FLAG = 1 << 5;
    /** Bits of a StateChanged's flags byte; a LogAppended's has {@link #AT_FLAG} only. */
    private static final int AT_FLAG = 1;
    private static final int CHANGE_END_FLAG = 1 << 1;

    private EntryCodec() {
    }

    /** Appends the encoded entry to the buffer and returns how many bytes it took. */
    static int encode(Entry entry, EncodeBuffer out, ValueTable values) {
        return encode(entry, out, values, null);
    }

    /** As {@link #encode(Entry, EncodeBuffer, ValueTable)}, noting a Created entry's value numbers in a sink. */
    static int encode(Entry entry, EncodeBuffer out, ValueTable values, ValueNumbers numbers) {
        int start = out.length();
        out.u8(VERSION);
        if (entry instanceof Entry.Created c) {
            if (numbers != null) {
                numbers.clear();
            }
            encodeCreated(c, out, values, numbers);
        } else if (entry instanceof Entry.StateChanged s) {
            out.u8(STATE_CHANGED);
            out.u8((s.at() != Entry.NO_TIME ? AT_FLAG : 0) | (s.endDate() != Entry.NO_TIME ? CHANGE_END_FLAG : 0));
            out.varLong(s.id());
            out.varLong(s.previous());
            out.u8(checkState(s.state()));
            out.time(s.at(), TIME_BASE);
            out.time(s.endDate(), s.at() == Entry.NO_TIME ? 0 : s.at());
            out.string(s.error());
            out.string(s.metadata());
        } else if (entry instanceof Entry.Expired e) {
            RetentionCodec.encodeExpired(e, out);
        } else if (entry instanceof Entry.Dropped d) {
            RetentionCodec.encodeDropped(d, out);
        } else {
            Entry.LogAppended l = (Entry.LogAppended) entry;
            out.u8(LOG_APPENDED);
            out.u8(l.at() != Entry.NO_TIME ? AT_FLAG : 0);
            out.varLong(l.id());
            out.varLong(l.previous());
            out.varLong(l.stateEntry());
            out.time(l.at(), TIME_BASE);
            out.string(l.text());
        }
        out.checksum(start);
        return out.length() - start;
    }

    private static void encodeCreated(Entry.Created c, EncodeBuffer out, ValueTable values, ValueNumbers numbers) {
        ActionData d = c.data();
        out.u8(CREATED);
        out.u8((d.userAction() ? USER_ACTION_FLAG : 0) | (d.uuid() != null ? UUID_FLAG : 0)
                | (d.retryOf() != null ? RETRY_OF_FLAG : 0) | (d.startDate() != Entry.NO_TIME ? START_FLAG : 0)
                | (c.endDate() != Entry.NO_TIME ? END_FLAG : 0) | (c.carried() ? CARRIED_FLAG : 0));
        out.varLong(c.id());
        out.uuid(d.uuid());
        value(d.user(), ActionField.USER, 0, out, values, numbers);
        value(d.action(), ActionField.ACTION, 0, out, values, numbers);
        value(d.method(), ActionField.METHOD, 0, out, values, numbers);
        out.string(d.path());
        value(d.object(), ActionField.OBJECT, 0, out, values, numbers);
        if (d.parents() == null) {
            out.count(NULL_LIST);
        } else {
            out.count(d.parents().size() + 1L);
            for (int i = 0; i < d.parents().size(); i++) {
                value(d.parents().get(i), ActionField.PARENTS, i, out, values, numbers);
            }
        }
        value(d.ip(), ActionField.IP, 0, out, values, numbers);
        value(d.location(), ActionField.LOCATION, 0, out, values, numbers);
        value(d.userAgent(), ActionField.USER_AGENT, 0, out, values, numbers);
        out.string(d.body());
        out.u8(checkState(c.state()));
        out.time(d.startDate(), TIME_BASE);
        out.time(c.endDate(), d.startDate() == Entry.NO_TIME ? 0 : d.startDate());
        out.string(c.logs());
        out.string(c.error());
        out.string(c.metadata());
        out.uuid(d.retryOf());
        value(d.recordedBy(), ActionField.RECORDED_BY, 0, out, values, numbers);
    }

    /**
     * Writes a repeated value of {@code field} (for {@link ActionField#PARENTS}, parent number {@code item}); its
     * number goes to {@code numbers} when given.
     */
    private static void value(String value, ActionField field, int item, EncodeBuffer out, ValueTable values,
                              ValueNumbers numbers) {
        if (value == null) {
            out.count(NULL_VALUE);
            return;
        }
        int n = values.numberOf(field, value);
        if (n != ValueTable.NO_NUMBER) {
            out.count(NUMBERED_VALUE + (long) n);
            note(numbers, field, item, n);
            return;
        }
        n = values.assign(field, value);
        if (n != ValueTable.NO_NUMBER) {
            out.count(DEFINED_VALUE);
            out.count(n);
            note(numbers, field, item, n);
        } else {
            out.count(UNNUMBERED_VALUE);
        }
        out.string(value);
    }

    /** Decodes the bytes between the buffer's position and limit, without moving either. */
    static Entry decode(ByteBuffer bytes, ValueTable values) {
        if (bytes.hasArray()) {
            return decode(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining(), values);
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return decode(copy, 0, copy.length, values);
    }

    static Entry decode(byte[] bytes, int offset, int length, ValueTable values) {
        return decode(bytes, offset, length, values, null, true);
    }

    /**
     * As {@link #decode(byte[], int, int, ValueTable)}, noting a Created entry's value numbers when given a sink,
     * and with free texts decoded only if {@code texts} (see {@link Journal.EntryConsumer#readsTexts()}).
     */
    static Entry decode(byte[] bytes, int offset, int length, ValueTable values, ValueNumbers numbers,
                        boolean texts) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IllegalArgumentException("slice " + offset + "+" + length + " outside " + bytes.length + " bytes");
        }
        java.util.Objects.requireNonNull(values, "values");
        ByteReader in = checked(bytes, offset, length);
        int version = bytes[offset] & 0xFF;
        int type = in.u8();
        Entry entry = switch (type) {
            case CREATED -> decodeCreated(in, version == VERSION ? values : null, numbers, texts);
            case STATE_CHANGED -> decodeStateChanged(in, texts);
            case LOG_APPENDED -> decodeLogAppended(in, texts);
            case RetentionCodec.EXPIRED -> RetentionCodec.decodeExpired(in);
            case RetentionCodec.DROPPED -> RetentionCodec.decodeDropped(in);
            default -> throw new CorruptEntryException("unknown entry type " + type);
        };
        in.expectEnd();
        return entry;
    }

    /** A reader of the entry's fields after its version byte, once version, length and checksum are checked. */
    private static ByteReader checked(byte[] bytes, int offset, int length) {
        int version = length > 0 ? bytes[offset] & 0xFF : VERSION;
        if (version != VERSION && version != PLAIN_STRINGS_VERSION) {
            throw new CorruptEntryException("unknown entry format version " + version);
        }
        if (length < MIN_LENGTH) {
            throw new CorruptEntryException("truncated entry: " + length + " bytes");
        }
        int body = length - CHECKSUM_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, body);
        if ((int) crc.getValue() != ByteReader.intLE(bytes, offset + body)) {
            throw new CorruptEntryException("checksum mismatch in a " + length + "-byte entry");
        }
        return new ByteReader(bytes, offset + 1, offset + body);
    }

    /**
     * Reads a Created entry for rendering: its strings as slices of UTF-8 (see {@link CreatedBytes}), nothing
     * decoded. The slices of its own texts point into {@code bytes}, which {@code into} takes as its entry's bytes
     * (a reader that copies entries into {@code into}'s own array stores nothing).
     */
    static void scanCreated(byte[] bytes, int offset, int length, ValueTable values, CreatedBytes into) {
        if (into.entry != bytes) {
            into.entry = bytes;
        }
        ByteReader in = checked(bytes, offset, length);
        int type = in.u8();
        if (type != CREATED) {
            throw new CorruptEntryException("expected a Created entry, found type " + type);
        }
        scanCreated(in, bytes, (bytes[offset] & 0xFF) == VERSION ? values : null, false, into);
        in.expectEnd();
    }

    /**
     * Reads any entry as {@link EntryBytes}, its texts as slices of {@code bytes} (or of the journal's value bytes);
     * {@code learn}: the value numbers it defines are new to {@code values} (a replay from the start).
     */
    static void scan(byte[] bytes, int offset, int length, ValueTable values, boolean learn, EntryBytes into) {
        ByteReader in = checked(bytes, offset, length);
        int type = in.u8();
        into.type = type;
        switch (type) {
            case CREATED -> scanCreated(in, bytes, (bytes[offset] & 0xFF) == VERSION ? values : null, learn,
                    into.created);
            case STATE_CHANGED -> {
                int flags = in.u8();
                into.id = in.varLong();
                in.varLong();
                into.state = in.state();
                into.at = (flags & AT_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
                into.endDate = (flags & CHANGE_END_FLAG) != 0 ? (into.at == Entry.NO_TIME ? 0 : into.at)
                        + in.varLong() : Entry.NO_TIME;
                into.error.take(in, bytes);
                into.metadata.take(in, bytes);
            }
            case LOG_APPENDED -> {
                int flags = in.u8();
                into.id = in.varLong();
                in.varLong();
                in.varLong();
                into.at = (flags & AT_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
                into.text.take(in, bytes);
            }
            case RetentionCodec.EXPIRED -> into.retention = RetentionCodec.decodeExpired(in);
            case RetentionCodec.DROPPED -> into.retention = RetentionCodec.decodeDropped(in);
            default -> throw new CorruptEntryException("unknown entry type " + type);
        }
        in.expectEnd();
    }

    private static void scanCreated(ByteReader in, byte[] bytes, ValueTable table, boolean learn, CreatedBytes into) {
        if (into.values != table && table != null) {
            into.values = table;
        }
        int flags = in.u8();
        into.id = in.varLong();
        into.hasUuid = (flags & UUID_FLAG) != 0;
        if (into.hasUuid) {
            into.uuidHigh = in.uuidHalf();
            into.uuidLow = in.uuidHalf();
        }
        scanValue(in, bytes, ActionField.USER, 0, table, learn, into);
        scanValue(in, bytes, ActionField.ACTION, 0, table, learn, into);
        scanValue(in, bytes, ActionField.METHOD, 0, table, learn, into);
        scanText(in, ActionField.PATH, into);
        scanValue(in, bytes, ActionField.OBJECT, 0, table, learn, into);
        int sizePlusOne = in.count("a list");
        into.parentCount = sizePlusOne - 1;
        for (int i = 0; i < sizePlusOne - 1; i++) {
            scanValue(in, bytes, ActionField.PARENTS, i, table, learn, into);
        }
        scanValue(in, bytes, ActionField.IP, 0, table, learn, into);
        scanValue(in, bytes, ActionField.LOCATION, 0, table, learn, into);
        scanValue(in, bytes, ActionField.USER_AGENT, 0, table, learn, into);
        scanText(in, ActionField.BODY, into);
        into.state = in.state();
        long start = (flags & START_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
        into.startDate = start;
        into.endDate = (flags & END_FLAG) != 0 ? (start == Entry.NO_TIME ? 0 : start) + in.varLong() : Entry.NO_TIME;
        scanText(in, ActionField.LOGS, into);
        scanText(in, ActionField.ERROR, into);
        scanText(in, ActionField.METADATA, into);
        into.hasRetryOf = (flags & RETRY_OF_FLAG) != 0;
        if (into.hasRetryOf) {
            into.retryOfHigh = in.uuidHalf();
            into.retryOfLow = in.uuidHalf();
        }
        scanValue(in, bytes, ActionField.RECORDED_BY, 0, table, learn, into);
        into.userAction = (flags & USER_ACTION_FLAG) != 0;
        into.carried = (flags & CARRIED_FLAG) != 0;
    }

    private static void scanText(ByteReader in, ActionField field, CreatedBytes into) {
        int length = in.stringLength();
        into.slice(field, in.position(), length, CreatedBytes.OWN);
        in.skip(length);
    }

    /** A repeated value of {@code field}; for {@link ActionField#PARENTS}, parent number {@code item}. */
    private static void scanValue(ByteReader in, byte[] bytes, ActionField field, int item, ValueTable values,
                                  boolean learn, CreatedBytes into) {
        int at;
        int length;
        int number = CreatedBytes.OWN;
        int code = values == null ? UNNUMBERED_VALUE : in.number("a value code");
        if (code == NULL_VALUE) {
            at = 0;
            length = CreatedBytes.NULL_LENGTH;
        } else if (code >= NUMBERED_VALUE) {
            int n = code - NUMBERED_VALUE;
            int shape = values.shape(field, n);
            number = CreatedBytes.numbered(n, (shape & 1) != 0);
            at = 0;
            length = shape >>> 1;
        } else {
            int n = code == DEFINED_VALUE ? in.number("a value number") : -1;
            length = in.stringLength();
            if (length < 0 && values != null) {
                throw new CorruptEntryException("a null where a value must follow");
            }
            at = in.position();
            in.skip(length);
            if (learn && n >= 0) {
                values.learn(field, n, new String(bytes, at, length, StandardCharsets.UTF_8));
            }
        }
        if (field == ActionField.PARENTS) {
            into.parent(item, at, length, number);
        } else {
            into.slice(field, at, length, number);
        }
    }

    /** {@code values} is null for format 1, where every value is a plain string. */
    private static Entry decodeCreated(ByteReader in, ValueTable values, ValueNumbers numbers, boolean texts) {
        if (numbers != null && values == null) {
            numbers.clear(); // format 1 has no numbers; format 2 sets each one below
        }
        int flags = in.u8();
        long id = in.varLong();
        UUID uuid = (flags & UUID_FLAG) != 0 ? in.uuid() : null;
        String user = value(in, ActionField.USER, 0, values, numbers);
        String action = value(in, ActionField.ACTION, 0, values, numbers);
        String method = value(in, ActionField.METHOD, 0, values, numbers);
        String path = in.text(texts);
        String object = value(in, ActionField.OBJECT, 0, values, numbers);
        List<String> parents = values == null ? in.strings() : parents(in, values, numbers);
        String ip = value(in, ActionField.IP, 0, values, numbers);
        String location = value(in, ActionField.LOCATION, 0, values, numbers);
        String userAgent = value(in, ActionField.USER_AGENT, 0, values, numbers);
        String body = in.text(texts);
        byte state = in.state();
        long start = (flags & START_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
        long end = (flags & END_FLAG) != 0 ? (start == Entry.NO_TIME ? 0 : start) + in.varLong() : Entry.NO_TIME;
        String logs = in.text(texts);
        String error = in.text(texts);
        String metadata = in.text(texts);
        UUID retryOf = (flags & RETRY_OF_FLAG) != 0 ? in.uuid() : null;
        String recordedBy = value(in, ActionField.RECORDED_BY, 0, values, numbers);
        ActionData data = new ActionData(uuid, user, action, method, path, object, parents, ip, location, userAgent,
                body, start, (flags & USER_ACTION_FLAG) != 0, retryOf, recordedBy);
        return new Entry.Created(id, data, state, end, logs, error, metadata, (flags & CARRIED_FLAG) != 0);
    }

    private static List<String> parents(ByteReader in, ValueTable values, ValueNumbers numbers) {
        int sizePlusOne = in.count("a list");
        if (numbers != null) {
            numbers.startDecoded(Math.max(sizePlusOne - 1, 0));
        }
        if (sizePlusOne <= 2) {
            // Most actions have one parent or none: lists that need no array and no wrapper.
            return sizePlusOne == NULL_LIST ? null
                    : sizePlusOne == 1 ? List.of()
                    : Collections.singletonList(value(in, ActionField.PARENTS, 0, values, numbers));
        }
        String[] parents = new String[sizePlusOne - 1];
        for (int i = 0; i < parents.length; i++) {
            parents[i] = value(in, ActionField.PARENTS, i, values, numbers);
        }
        return Collections.unmodifiableList(Arrays.asList(parents));
    }

    /**
     * A repeated value of {@code field} (for {@link ActionField#PARENTS}, parent number {@code item}); its number goes
     * to {@code numbers} when given. {@code values} is null for format 1, where every value is a plain string.
     */
    private static String value(ByteReader in, ActionField field, int item, ValueTable values,
                                ValueNumbers numbers) {
        if (values == null) {
            return in.string();
        }
        int code = in.number("a value code");
        switch (code) {
            case NULL_VALUE:
                note(numbers, field, item, ValueTable.NO_NUMBER);
                return null;
            case UNNUMBERED_VALUE:
                note(numbers, field, item, ValueTable.NO_NUMBER);
                return present(in.string());
            case DEFINED_VALUE: {
                int n = in.number("a value number");
                String value = values.learn(field, n, present(in.string()));
                note(numbers, field, item, n);
                return value;
            }
            default:
                note(numbers, field, item, code - NUMBERED_VALUE);
                return values.value(field, code - NUMBERED_VALUE);
        }
    }

    private static void note(ValueNumbers numbers, ActionField field, int item, int n) {
        if (numbers == null) {
            return;
        }
        if (field == ActionField.PARENTS) {
            numbers.setParent(item, n);
        } else {
            numbers.set(field, n);
        }
    }

    private static String present(String s) {
        if (s == null) {
            throw new CorruptEntryException("a null where a value must follow");
        }
        return s;
    }

    private static Entry decodeStateChanged(ByteReader in, boolean texts) {
        int flags = in.u8();
        long id = in.varLong();
        long previous = in.varLong();
        byte state = in.state();
        long at = (flags & AT_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
        long end = (flags & CHANGE_END_FLAG) != 0 ? (at == Entry.NO_TIME ? 0 : at) + in.varLong() : Entry.NO_TIME;
        return new Entry.StateChanged(id, previous, state, at, end, in.text(texts), in.text(texts));
    }

    private static Entry decodeLogAppended(ByteReader in, boolean texts) {
        int flags = in.u8();
        long id = in.varLong();
        long previous = in.varLong();
        long stateEntry = in.varLong();
        long at = (flags & AT_FLAG) != 0 ? TIME_BASE + in.varLong() : Entry.NO_TIME;
        return new Entry.LogAppended(id, previous, stateEntry, at, in.text(texts));
    }

    private static int checkState(byte state) {
        if (state < 0 || state >= STATE_COUNT) {
            throw new IllegalArgumentException("unknown state code " + state);
        }
        return state;
    }
}
