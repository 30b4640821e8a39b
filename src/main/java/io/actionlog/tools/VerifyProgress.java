package io.actionlog.tools;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * What {@code verify} tells on stderr while it runs: now and then how far it got, how fast it went since it last
 * said so and about how long is left; at the end the whole run's time and rate. A journal of a billion entries takes
 * minutes, and the operator who started it wants to know whether to wait. Times are from the command's start, so
 * they include opening the journal and checking the checkpoints' signatures.
 */
final class VerifyProgress implements LongConsumer {
    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private final long start;
    private long total;
    private long lastEntries;
    private long lastAt;

    VerifyProgress(PrintWriter err, LongSupplier nanoClock) {
        this.err = err;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastAt = start;
    }

    /** The entries the journal holds, once it is open: what the lines count toward. */
    void total(long entries) {
        total = entries;
    }

    @Override
    public void accept(long entries) {
        long now = nanoClock.getAsLong();
        long rate = rate(entries - lastEntries, now - lastAt);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "verify: %d of %d entries hashed (%d %%), %s s",
                entries, total, total == 0 ? 100 : entries * 100 / total, seconds(now - start)));
        if (rate > 0) {
            line.append(String.format(Locale.ROOT, ", %,d entries/s lately, about %d s left", rate,
                    Math.max(0, total - entries) / rate));
        }
        err.println(line);
        lastEntries = entries;
        lastAt = now;
    }

    /** How many of the checkpoint log's signatures are checked, before the entries are read. */
    void signatures(long checked) {
        err.println(String.format(Locale.ROOT, "verify: %d checkpoint signatures checked, %s s", checked,
                seconds(nanoClock.getAsLong() - start)));
    }

    /** The closing line: every entry was read and hashed. */
    void done(long entries) {
        long took = nanoClock.getAsLong() - start;
        long rate = rate(entries, took);
        err.println(String.format(Locale.ROOT, "verify: %d entries in %s s", entries, seconds(took))
                + (rate > 0 ? String.format(Locale.ROOT, ", %,d entries/s", rate) : ""));
    }

    private static long rate(long entries, long nanos) {
        return nanos <= 0 ? 0 : (long) (entries * 1e9 / nanos);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
