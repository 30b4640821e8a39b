package io.actionlog.cluster;

import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.store.WriteCommand;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the journal already holds of one command after a node stopped between appending that command's entries and
 * recording its position: the position is recorded after every command, so the entries past the recorded journal
 * size all belong to the command at the recorded offset. Applying that command again must leave them out: a
 * Record without the actions whose uuids are already there (whatever it decided for the others, it decides again
 * alike), any other command (which appends one entry) not at all.
 */
record Resume(long offset, int entries, Set<UUID> created) {

    /**
     * The entries at and after {@code recordedSize}, or null when there are none; null too when they cannot be one
     * command's (more than one entry that is not a Created), which the caller takes for a copy to rebuild.
     */
    static Resume of(Journal journal, long offset, long recordedSize) {
        long size = journal.size();
        if (size <= recordedSize || recordedSize < journal.first()) {
            return null;
        }
        Set<UUID> created = new HashSet<>();
        int others = 0;
        for (long p = recordedSize; p < size; p++) {
            Entry e = journal.read(p);
            if (e instanceof Entry.Created c) {
                created.add(c.data().uuid());
            } else {
                others++;
            }
        }
        if (others > 1 || (others == 1 && !created.isEmpty())) {
            return null;
        }
        return new Resume(offset, (int) (size - recordedSize), Set.copyOf(created));
    }

    /**
     * The command as it is still to be applied: null when it is applied in full already. Throws when the entries
     * found cannot have come from this command (the copy is then to be rebuilt).
     */
    WriteCommand remainder(WriteCommand command) {
        if (command instanceof WriteCommand.Record r) {
            Set<UUID> ofCommand = new HashSet<>();
            r.actions().forEach(a -> ofCommand.add(a.data().uuid()));
            if (entries == created.size() && ofCommand.containsAll(created)) {
                return new WriteCommand.Record(r.actions().stream()
                        .filter(a -> !created.contains(a.data().uuid())).toList());
            }
            throw mismatch();
        }
        boolean applied = command instanceof WriteCommand.Retry retry
                ? entries == 1 && created.contains(retry.uuid())
                : entries == 1 && created.isEmpty();
        if (!applied) {
            throw mismatch();
        }
        return null;
    }

    private ClusterException mismatch() {
        return new ClusterException("the journal holds " + entries + " entries past its recorded position that the "
                + "command at offset " + offset + " did not make; the next start rebuilds the copy");
    }

    /** The outcome of a command left out here: nobody waits for it (the node that asked for it has restarted). */
    static final List<Object> ALREADY_APPLIED = List.of();
}
