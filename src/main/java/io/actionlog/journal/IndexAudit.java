package io.actionlog.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.openhft.chronicle.queue.RollCycle;

/**
 * Checks, as a read-only walk reads the entries in order, that each cycle file's Chronicle index gives every
 * indexed entry's real place ({@link CycleIndex}). The walk steps from entry to entry and never uses the index, so
 * without this it would pass a journal whose index sends the server's reads by position (a detail, a proof, the
 * look-up of a uuid) to another entry or to none. A file whose index is found wrong is reported once, at its first
 * wrong slot, with the count of wrong slots in it; its walk goes on. A file is checked by the first walk through
 * it only. Confined to the walking thread: a read-only journal is walked by one thread at a time.
 */
final class IndexAudit implements AutoCloseable {
    private final Path dir;
    private final RollCycle rollCycle;
    private final List<String> problems = new ArrayList<>();
    private final Set<Integer> checked = new HashSet<>();
    private int cycle = -1;
    private String file;
    /** This cycle file's index; null once it could not be read. */
    private CycleIndex index;
    private String firstWrong;
    private long wrong;

    IndexAudit(Path dir, RollCycle rollCycle) {
        this.dir = dir;
        this.rollCycle = rollCycle;
    }

    /**
     * The entry of Chronicle index {@code chronicleIndex}, journal position {@code position}, has its header at
     * {@code offset}. Called for every entry a walk reads, so what it does but compare lies in other methods.
     */
    void entry(long chronicleIndex, long position, long offset) {
        int c = rollCycle.toCycle(chronicleIndex);
        if (c != cycle) {
            open(c);
        }
        if (index != null) {
            long sequence = rollCycle.toSequenceNumber(chronicleIndex);
            long said = index.offsetOf(sequence);
            // 0: no slot, or an empty one, which is no damage: Chronicle steps to the entry from an earlier one.
            if (said != 0 && said != offset) {
                differs(sequence, position, offset, said);
            }
        }
    }

    private void differs(long sequence, long position, long offset, long said) {
        if (said < 0) {
            problems.add(describe(index.damage()));
            closeIndex();
        } else if (wrong++ == 0) {
            firstWrong = "its index gives offset " + said + " for entry " + sequence + " of the file (journal "
                    + "position " + position + "), whose header is at offset " + offset;
        }
    }

    /** What was found, one line per damaged file. */
    List<String> problems() {
        finishFile();
        return List.copyOf(problems);
    }

    private void open(int c) {
        finishFile();
        cycle = c;
        file = ChronicleJournal.cycleFileName(c);
        if (!checked.add(c)) {
            return;
        }
        try {
            index = CycleIndex.open(dir.resolve(file));
        } catch (IOException e) {
            problems.add(describe("its index cannot be read: " + e.getMessage()));
        }
    }

    private void finishFile() {
        if (wrong > 0) {
            problems.add(describe(firstWrong + (wrong > 1 ? ", and " + (wrong - 1) + " more of its slots are wrong"
                    : "") + ": the index was changed, and the server's reads by position follow it"));
        }
        wrong = 0;
        firstWrong = null;
        closeIndex();
    }

    private String describe(String what) {
        return "cycle file " + dir.resolve(file) + ": " + what;
    }

    private void closeIndex() {
        if (index != null) {
            try {
                index.close();
            } catch (IOException e) {
                // Read only: nothing was written that a failed close could lose.
            }
            index = null;
        }
    }

    @Override
    public void close() {
        closeIndex();
    }
}
