package io.actionlog.logs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Which lines of a warning that repeats to log: each at most once a minute. Lines are told apart with their numbers
 * left out (a full disk names its free bytes, a timeout the milliseconds it waited, a Kafka client a node id), and a
 * few are remembered, as an outage may give two or three by turns. While something fails every second for hours,
 * the log keeps a line a minute of it instead of thousands. Any thread.
 */
public final class Repeats {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final Pattern NUMBERS = Pattern.compile("-?\\d+");

    private final int kept;
    private final LongSupplier nanoClock;
    /** When each line (numbers left out) was last logged, oldest first. */
    private final Map<String, Long> saidAt = new LinkedHashMap<>();

    /** {@code kept}: lines remembered at most, more than an outage gives by turns, few enough to look through. */
    public Repeats(int kept, LongSupplier nanoClock) {
        this.kept = kept;
        this.nanoClock = nanoClock;
    }

    /** Whether {@code line} was not logged in the last minute; if so, it counts as logged now. */
    public synchronized boolean firstInAMinute(String line) {
        String key = NUMBERS.matcher(line).replaceAll("#");
        long now = nanoClock.getAsLong();
        saidAt.values().removeIf(at -> now - at >= MINUTE_NANOS);
        if (saidAt.containsKey(key)) {
            return false;
        }
        if (saidAt.size() == kept) {
            saidAt.remove(saidAt.keySet().iterator().next());
        }
        saidAt.put(key, now);
        return true;
    }
}
