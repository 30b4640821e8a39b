package io.actionlog.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The time Chronicle rolls a writable journal's day files by: the wall clock, but never before the newest day file's
 * day nor before a time it gave already. Chronicle writes an entry into the file of the day its clock says; a clock
 * stepped back across midnight (by hand, or by a time server after a drift) would point it at the day before, whose
 * file it has sealed, and every write would fail ("You should not be able to write at EOF") until the clock came
 * back. The entries' own dates are the actions', not this clock's, so writing on into the newest file costs nothing.
 */
final class CycleClock {
    private final LongSupplier wall;
    private final AtomicLong latest;

    private CycleClock(LongSupplier wall, long floor) {
        this.wall = wall;
        this.latest = new AtomicLong(floor);
    }

    /** A clock for the journal in {@code dir}: {@code wall} (null: the system's) held at or after its newest day. */
    static CycleClock of(Path dir, LongSupplier wall) {
        long floor;
        try {
            floor = JournalRecovery.lastCycleFile(dir)
                    .map(f -> ChronicleJournal.cycleOf(f.getFileName().toString())
                            * (long) ChronicleJournal.ROLL_CYCLE.lengthInMillis())
                    .orElse(0L);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
        } catch (DateTimeParseException e) {
            floor = 0; // a file named like a day file but not one: Chronicle's own open judges it
        }
        return new CycleClock(wall != null ? wall : System::currentTimeMillis, floor);
    }

    long millis() {
        return latest.accumulateAndGet(wall.getAsLong(), Math::max);
    }
}
