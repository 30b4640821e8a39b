package io.actionlog.index;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Step one of a sort on error or metadata, whose texts live only in the journal. Under the read lock the
 * planner records the matching set and, per text key, which of those actions have a text other than the default
 * ({@code ""} for error, {@code "{}"} for metadata, the common case, known from the index's bitmaps). Outside the
 * lock {@link #read} fetches only those texts, one or two journal reads each, at most {@link #MAX_ROWS} of them.
 * Step two orders by this snapshot, so an action that changes in between is placed by its texts of step one.
 *
 * <p>A sort on action name takes the same two steps when the set is small beside the index's names (see
 * {@link #readsNames}): the name of every action of the set is read (one journal read each, and a name never
 * changes), so that step two groups the set by those names instead of walking every name of the index.
 */
final class TextSnapshot {
    /** About 50 ms of journal reads at ~10 µs each; beyond it the sort is refused, not slowed down. */
    static final int MAX_ROWS = 5_000;

    final RoaringBitmap matching;
    private final Map<Sort.Key, RoaringBitmap> withText = new EnumMap<>(Sort.Key.class);
    private final Map<Sort.Key, List<Row>> toRead = new EnumMap<>(Sort.Key.class);
    private final Map<Sort.Key, Int2ObjectOpenHashMap<String>> texts = new EnumMap<>(Sort.Key.class);

    /**
     * Whether a name sort of {@code actions} actions reads their names rather than walk the index's {@code names}:
     * only for fewer actions than names, and never more than {@link #MAX_ROWS}. A read costs more than a name's
     * visit (2-3 µs against 0.3-0.4 µs for a name of one action, docs/benchmarks.md) but holds no lock: the
     * walk holds the one every write waits for.
     */
    static boolean readsNames(int actions, int names) {
        return actions <= MAX_ROWS && actions < names;
    }

    TextSnapshot(RoaringBitmap matching) {
        this.matching = matching;
    }

    /** Called under the read lock: remembers which rows need their text (or name) of {@code key} read. */
    void need(Sort.Key key, RoaringBitmap nonDefault, ActionIndex ix) {
        RoaringBitmap rows = RoaringBitmap.and(matching, nonDefault);
        int n = rows.getCardinality();
        check(key, n);
        List<Row> list = new ArrayList<>(n);
        rows.forEach((int o) -> list.add(ix.rowOf(o)));
        withText.put(key, rows);
        toRead.put(key, list);
    }

    /** Refuses a sort that would read more than {@link #MAX_ROWS} texts of {@code key}. */
    static void check(Sort.Key key, int texts) {
        if (texts > MAX_ROWS) {
            throw new SortLimitException(key, texts);
        }
    }

    /** Called outside the lock: the journal reads. */
    void read(TextKeys keys) {
        toRead.forEach((key, rows) -> {
            Int2ObjectOpenHashMap<String> map = new Int2ObjectOpenHashMap<>(rows.size());
            for (Row row : rows) {
                map.put(row.ordinal(), keys.text(key, row));
            }
            texts.put(key, map);
        });
    }

    /** Whether step one asked for no journal read at all: no text key, and no names read. */
    boolean readsNothing() {
        return toRead.isEmpty();
    }

    /** Whether the values of {@code key} were read for every action that has one: for a name, the whole set. */
    boolean has(Sort.Key key) {
        return toRead.containsKey(key);
    }

    RoaringBitmap withText(Sort.Key key) {
        return withText.get(key);
    }

    String text(Sort.Key key, int ordinal) {
        return texts.get(key).get(ordinal);
    }

    static String defaultText(Sort.Key key) {
        return key == Sort.Key.ERROR ? "" : "{}";
    }
}
