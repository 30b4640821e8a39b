package io.actionlog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actionlog.index.ActionIndex;
import io.actionlog.journal.PositionDroppedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A backup's counts and its copy of the journal's files are of one moment: a retention drop between the two reads
 * (the journal's start moves) makes it read both again, and one that keeps overtaking it refuses the backup (503).
 */
class BackupMomentTest {
    private final AtomicLong first = new AtomicLong(100);
    private final AtomicInteger counted = new AtomicInteger();
    private final List<Made> made = new ArrayList<>();

    private static final class Made implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private ActionIndex.Counts counts() {
        return new ActionIndex.Counts(10, 1000 + counted.incrementAndGet());
    }

    @Test
    void aMomentWithoutADropIsReadOnce() {
        Backup.Moment<Made> m = Backup.atOneMoment(first::get, this::counts, c -> add());
        assertEquals(1, counted.get());
        assertEquals(100, m.first());
        assertSame(made.get(0), m.made());
    }

    @Test
    void aDropDuringTheCopyMakesBothBeReadAgain() {
        Backup.Moment<Made> m = Backup.atOneMoment(first::get, this::counts, c -> {
            if (made.isEmpty()) {
                first.set(500); // retention dropped files while the first copy was made
            }
            return add();
        });
        assertEquals(2, counted.get());
        assertEquals(500, m.first());
        assertEquals(1002, m.counts().journalSize());
        assertEquals(true, made.get(0).closed, "the copy of the other moment is let go");
        assertSame(made.get(1), m.made());
    }

    @Test
    void aCopyThatADropFailedIsMadeAgain() {
        Backup.Moment<Made> m = Backup.atOneMoment(first::get, this::counts, c -> {
            if (counted.get() == 1) {
                first.set(500);
                throw new IllegalStateException("the file went while it was linked");
            }
            return add();
        });
        assertEquals(500, m.first());
        assertEquals(1, made.size());
    }

    /** A drop under way (its head written, the journal's start not moved yet) fails the copy before the start moves. */
    @Test
    void aCopyThatFoundADropUnderWayIsMadeAgain() {
        Backup.Moment<Made> m = Backup.atOneMoment(first::get, this::counts, c -> {
            if (counted.get() == 1) {
                throw new PositionDroppedException(100, 500);
            }
            return add();
        });
        assertEquals(2, counted.get());
        assertSame(made.get(0), m.made());
    }

    @Test
    void dropsThatKeepOvertakingItRefuseTheBackup() {
        assertThrows(PositionDroppedException.class, () -> Backup.atOneMoment(first::get, this::counts, c -> {
            first.addAndGet(100);
            return add();
        }));
        assertEquals(Backup.ATTEMPTS, made.size());
        made.forEach(x -> assertEquals(true, x.closed));
    }

    @Test
    void aFailureWithoutADropIsTheBackupsOwn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backup.atOneMoment(first::get, this::counts, c -> {
                    throw new IllegalArgumentException("since: past the journal");
                }));
        assertEquals("since: past the journal", e.getMessage());
        assertEquals(1, counted.get());
    }

    private Made add() {
        Made m = new Made();
        made.add(m);
        return m;
    }
}
