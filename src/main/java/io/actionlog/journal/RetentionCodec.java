package io.actionlog.journal;

/**
 * The bytes of the two entries of retention, for {@link EntryCodec} (which writes the version byte before them and
 * the checksum after): type, a flags byte (0), then
 * <pre>
 *   Expired (4): policy string | count of ranges | per range: varint (first - previous last) and varint (last - first)
 *   Dropped (5): policy string | from | to | highest id            (varints)
 * </pre>
 * Ranges are sorted and disjoint, so the differences are small: a run of expired ids takes a few bytes whatever
 * its length.
 */
final class RetentionCodec {
    static final int EXPIRED = 4;
    static final int DROPPED = 5;

    private RetentionCodec() {
    }

    static void encodeExpired(Entry.Expired e, EncodeBuffer out) {
        long[] ids = e.ids();
        if (ids.length % 2 != 0) {
            throw new IllegalArgumentException("expired ids must come as [first, last] pairs");
        }
        out.u8(EXPIRED);
        out.u8(0);
        out.string(e.policy());
        out.count(ids.length / 2);
        long previous = 0;
        for (int i = 0; i < ids.length; i += 2) {
            if (ids[i] <= previous || ids[i + 1] < ids[i]) {
                throw new IllegalArgumentException("expired id ranges must be sorted and disjoint");
            }
            out.varLong(ids[i] - previous);
            out.varLong(ids[i + 1] - ids[i]);
            previous = ids[i + 1];
        }
    }

    static void encodeDropped(Entry.Dropped d, EncodeBuffer out) {
        out.u8(DROPPED);
        out.u8(0);
        out.string(d.policy());
        out.varLong(d.from());
        out.varLong(d.to());
        out.varLong(d.highestId());
    }

    static Entry.Expired decodeExpired(ByteReader in) {
        in.u8();
        String policy = in.string();
        int ranges = in.count("a list of id ranges");
        long[] ids = new long[ranges * 2];
        long previous = 0;
        for (int i = 0; i < ids.length; i += 2) {
            ids[i] = previous + in.varLong();
            ids[i + 1] = ids[i] + in.varLong();
            if (ids[i] <= previous || ids[i + 1] < ids[i]) {
                throw new CorruptEntryException("expired id ranges out of order");
            }
            previous = ids[i + 1];
        }
        return new Entry.Expired(policy, ids);
    }

    static Entry.Dropped decodeDropped(ByteReader in) {
        in.u8();
        String policy = in.string();
        long from = in.varLong();
        long to = in.varLong();
        long highestId = in.varLong();
        if (from < 0 || to < from || highestId < 0) {
            throw new CorruptEntryException("dropped range " + from + ".." + to + " is not a range");
        }
        return new Entry.Dropped(policy, from, to, highestId);
    }
}
