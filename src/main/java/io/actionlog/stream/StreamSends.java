package io.actionlog.stream;

import io.actionlog.http.SendBudget;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the live streams' frames hold in their connections' write queues, all together: the bytes written and not
 * yet taken by the connection, for /metrics, and the room the sinks take for them from the process's
 * {@link SendBudget} ({@code http.max_unsent_bytes}), which pages, proofs and downloads share.
 */
final class StreamSends {
    final SendBudget budget;
    private final AtomicLong unsent = new AtomicLong();

    StreamSends(SendBudget budget) {
        this.budget = budget;
    }

    void add(long bytes) {
        unsent.addAndGet(bytes);
    }

    long unsent() {
        return unsent.get();
    }
}
