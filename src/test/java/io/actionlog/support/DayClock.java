package io.actionlog.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The clock that rolls a test server's journal files: it starts some days back and a test moves it to the next day,
 * so that the entries written after the move go to a new day file, as they would after midnight.
 */
public final class DayClock implements LongSupplier {
    private static final long DAY = TimeUnit.DAYS.toMillis(1);
    private final AtomicLong millis;

    /** Noon of the day {@code daysBack} days before today (UTC). */
    public DayClock(int daysBack) {
        long today = System.currentTimeMillis() / DAY * DAY;
        this.millis = new AtomicLong(today - daysBack * DAY + DAY / 2);
    }

    public void nextDay() {
        millis.addAndGet(DAY);
    }

    @Override
    public long getAsLong() {
        return millis.get();
    }
}
