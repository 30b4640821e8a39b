package io.actionlog.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actionlog.support.DayClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read of a position retention dropped fails as {@link PositionDroppedException}, whichever read it is, so that
 * the request is answered 503 (repeat it) rather than 500; the kept positions read as before.
 */
class DroppedPositionTest {
    @TempDir
    Path dir;

    @Test
    void everyReadOfADroppedPositionSaysItWasDropped() {
        DayClock clock = new DayClock(2);
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS, clock)) {
            journal.append(List.of(Entries.typical(1), Entries.typical(2)));
            clock.nextDay();
            journal.append(List.of(Entries.typical(3)));
            long[] segments = journal.segments();
            assertEquals(2, segments.length);
            journal.drop(segments[1], () -> { });

            assertThrows(PositionDroppedException.class, () -> journal.read(0));
            assertThrows(PositionDroppedException.class, () -> journal.readLinks(1));
            assertThrows(PositionDroppedException.class, () -> journal.readCreated(1, new CreatedBytes()));
            assertThrows(PositionDroppedException.class, () -> journal.readCreated(0, new CreatedBytes(), 1 << 20));
            assertEquals(3, ((Entry.Created) journal.read(2)).id());
            assertThrows(IndexOutOfBoundsException.class, () -> journal.read(3), "past the end is not a drop");
        }
    }

    /**
     * A thread that read the dropped file and then stays idle (an event loop without requests) does not keep it
     * mapped: the drop closes every thread's readers, so the file's disk space comes back at once.
     */
    @Test
    void aDroppedFileIsUnmappedEvenByThreadsThatDoNotReadAgain() throws Exception {
        DayClock clock = new DayClock(2);
        try (ChronicleJournal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS, clock)) {
            journal.append(List.of(Entries.typical(1), Entries.typical(2)));
            Thread idle = new Thread(() -> journal.read(0));
            idle.start();
            idle.join();
            clock.nextDay();
            journal.append(List.of(Entries.typical(3)));
            journal.drop(journal.segments()[1], () -> { });
            // Chronicle unmaps a released file on a background thread of its own: wait for it, bounded. Before the
            // drop closed every thread's readers, the idle thread's reader kept the mapping for good.
            List<String> stillMapped = deletedButMapped();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!stillMapped.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                stillMapped = deletedButMapped();
            }
            assertEquals(List.of(), stillMapped);
        }
    }

    private List<String> deletedButMapped() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(dir.toString()) && l.contains("(deleted)")).toList();
    }
}
