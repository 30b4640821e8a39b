package io.actionlog.journal;

import java.nio.charset.StandardCharsets;

/**
 * Any journal entry read without decoding its strings: a Created entry as {@link CreatedBytes}, a state change's or
 * log append's fields with their texts as slices of UTF-8, and retention's rare entries decoded. Filled by
 * {@link Journal#replayBytes}, so that a reader that only copies texts out (the leaf bytes of {@code verify}) makes
 * no String of them. The slices point into the entry's own array of its bytes, or into the journal's bytes of a
 * repeated value, which never change. Reused entry after entry; one thread at a time, or handed over to another
 * with a happens-before edge once the replay filled it.
 */
public final class EntryBytes {
    /** What kind of entry this is. */
    public enum Kind { CREATED, STATE_CHANGED, LOG_APPENDED, EXPIRED, DROPPED }

    /** A text: {@code length} bytes of {@code array} from {@code offset}; {@code array} is null for a null text. */
    public static final class Text {
        byte[] array;
        int offset;
        int length;

        /** This text made to stand for {@code length} bytes of {@code array} from {@code offset} (null: none). */
        public Text of(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            return this;
        }

        void take(ByteReader in, byte[] bytes) {
            length = in.stringLength();
            byte[] a = length < 0 ? null : bytes;
            if (array != a) { // a reused holder reads into the same array: no store, nothing for G1 to track
                array = a;
            }
            offset = in.position();
            in.skip(length);
            length = Math.max(length, 0);
        }

        public byte[] array() {
            return array;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        /** The text as a String, or null: for the rare text that is not copied out as it is. */
        public String decode() {
            return array == null ? null : new String(array, offset, length, StandardCharsets.UTF_8);
        }
    }

    final CreatedBytes created = new CreatedBytes();
    final Text error = new Text();
    final Text metadata = new Text();
    final Text text = new Text();
    int type;
    long id;
    byte state;
    long at;
    long endDate;
    Entry retention;

    /** Copies the entry in the first {@code length} bytes of {@code bytes} into this holder's own array. */
    void take(byte[] bytes, int length) {
        if (created.entry.length < length) {
            created.entry = new byte[Math.max(length, 256)];
        }
        System.arraycopy(bytes, 0, created.entry, 0, length);
        created.size = length;
    }

    /** Reads the entry {@link #take} copied; a {@link CorruptEntryException} if it is not one. */
    void read(ValueTable values, boolean learn) {
        retention = null;
        EntryCodec.scan(created.entry, 0, created.size, values, learn, this);
    }

    public Kind kind() {
        return switch (type) {
            case EntryCodec.CREATED -> Kind.CREATED;
            case EntryCodec.STATE_CHANGED -> Kind.STATE_CHANGED;
            case EntryCodec.LOG_APPENDED -> Kind.LOG_APPENDED;
            case RetentionCodec.EXPIRED -> Kind.EXPIRED;
            default -> Kind.DROPPED;
        };
    }

    /** The Created entry's fields; meaningful for {@link Kind#CREATED} only. */
    public CreatedBytes created() {
        return created;
    }

    /** The action's id; 0 for retention's entries, which belong to none. */
    public long id() {
        return type == EntryCodec.CREATED ? created.id : retention != null ? 0 : id;
    }

    /** The state code of a Created or StateChanged entry. */
    public byte state() {
        return type == EntryCodec.CREATED ? created.state : state;
    }

    /** A StateChanged's or LogAppended's time, or {@link Entry#NO_TIME}. */
    public long at() {
        return at;
    }

    /** A StateChanged's end date, or {@link Entry#NO_TIME}. */
    public long endDate() {
        return endDate;
    }

    public Text error() {
        return error;
    }

    public Text metadata() {
        return metadata;
    }

    /** A LogAppended's text. */
    public Text text() {
        return text;
    }

    /** The decoded entry of {@link Kind#EXPIRED} or {@link Kind#DROPPED}, else null. */
    public Entry retention() {
        return retention;
    }
}
