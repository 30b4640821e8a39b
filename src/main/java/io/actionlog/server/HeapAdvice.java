package io.actionlog.server;

import java.util.Locale;

/**
 * The one line an operator gets instead of a stack trace when the heap is too small for the journal. The figures
 * are measured: the smallest {@code -Xmx} that replayed 1 M generated actions was 88 MiB and 2 M took 160 MiB (80
 * and 128 MiB failed); the advice adds room for serving requests on top of the replay.
 */
final class HeapAdvice {
    static final long BASE_MIB = 64;
    static final long MIB_PER_MILLION = 100;

    private HeapAdvice() {
    }

    /** {@code entries} journal entries bound the number of actions from above. */
    static String forReplay(long entries) {
        return forReplay(entries, Runtime.getRuntime().maxMemory() >> 20);
    }

    /**
     * As {@link #forReplay(long)} for a heap of {@code maxMib}. The figure assumes actions of the usual size; where
     * the heap that ran out was already above it (actions carrying many long parents, say), the advice is twice
     * that heap, since a figure at or below it could only fail again.
     */
    static String forReplay(long entries, long maxMib) {
        long figure = roundUp(BASE_MIB + (entries * MIB_PER_MILLION + 999_999) / 1_000_000);
        long advised = figure > maxMib ? figure : roundUp(2 * maxMib);
        return String.format(Locale.ROOT, "out of heap while replaying the journal (%,d entries) with a maximum heap "
                + "of %d MiB; the index needs about %d MiB per million actions: start java with -Xmx%dm or more",
                entries, maxMib, MIB_PER_MILLION, advised);
    }

    private static long roundUp(long mib) {
        return (mib + 31) / 32 * 32;
    }
}
