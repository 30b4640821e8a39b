package io.actionlog.http.tutum;

import io.actionlog.index.ActionIndex;
import io.actionlog.index.Row;
import io.actionlog.store.ActionStore;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Resolves the uuid filters to the set of matching ordinals. The index keeps only each uuid's high half, which
 * settles prefixes of up to 16 hex digits on its own; longer prefixes and exact uuids are confirmed against the
 * journal, so the total that follows is exact.
 */
final class UuidMatches {
    private UuidMatches() {
    }

    static RoaringBitmap resolve(ActionStore store, ListParams.UuidFilter filter, RoaringBitmap restrict) {
        RoaringBitmap out = restrict;
        if (filter.exact() != null) {
            ActionStore.Found found = store.find(filter.exact());
            out = narrow(out, found == null ? new RoaringBitmap() : RoaringBitmap.bitmapOf(found.row().ordinal()));
        }
        if (filter.prefix() != null) {
            out = narrow(out, prefix(store, filter.prefix()));
        }
        return out;
    }

    private static RoaringBitmap prefix(ActionStore store, String prefix) {
        String hex = prefix.replace("-", "");
        ActionIndex index = store.index();
        if (hex.length() <= 16) {
            long value = hex.isEmpty() ? 0 : Long.parseUnsignedLong((hex + "0000000000000000").substring(0, 16), 16);
            return index.uuidHighPrefix(value, hex.length() * 4);
        }
        long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
        RoaringBitmap candidates = index.uuidHighPrefix(high, 64);
        RoaringBitmap confirmed = new RoaringBitmap();
        for (IntIterator it = candidates.getIntIterator(); it.hasNext(); ) {
            int ordinal = it.next();
            Row row = store.row(ordinal + 1L);
            if (store.reader().created(row).data().uuid().toString().startsWith(prefix)) {
                confirmed.add(ordinal);
            }
        }
        return confirmed;
    }

    private static RoaringBitmap narrow(RoaringBitmap current, RoaringBitmap more) {
        return current == null ? more : RoaringBitmap.and(current, more);
    }
}
