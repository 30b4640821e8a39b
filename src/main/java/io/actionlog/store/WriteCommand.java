package io.actionlog.store;

import io.actionlog.action.NewAction;
import io.actionlog.action.StateChange;
import java.util.List;
import java.util.UUID;

/**
 * A write as the node that took it decided it: everything that must be decided once (the time of a move or of a
 * log line, a retry's new uuid, the retry limit) is in the command, so that applying it gives the same entries on
 * every node that applies it, in the same order (see {@link ActionChanges}). What the state machine decides (the
 * id, whether a move is allowed, whether a uuid repeats) is left to the apply.
 */
public sealed interface WriteCommand {
    /**
     * New actions; each has its own outcome (a {@link ActionStore.Recorded} or the refusal). {@code ahead}: null, or
     * for each action what the writer's preparers made of it on the thread that took the request
     * ({@link ActionStore#ahead}); local to this host, never sent to other nodes.
     */
    record Record(List<NewAction> actions, List<?> ahead) implements WriteCommand {
        public Record {
            if (ahead != null && ahead.size() != actions.size()) {
                throw new IllegalArgumentException(ahead.size() + " prepared for " + actions.size() + " actions");
            }
        }

        public Record(List<NewAction> actions) {
            this(actions, null);
        }
    }

    record Change(long id, StateChange change, long at) implements WriteCommand {
    }

    record Cancel(long id, long at) implements WriteCommand {
    }

    record AppendLogs(long id, String text, long at) implements WriteCommand {
    }

    /** A Pending copy of a finished action under {@code uuid}, allowed while it has fewer than {@code maxRetries}. */
    record Retry(long id, String recordedBy, UUID uuid, long at, int maxRetries) implements WriteCommand {
    }
}
