package io.actionlog.index;

/** Sizes for /metrics and the start-up log; heap bytes are the index's own estimate of its structures. */
public record IndexStats(int actions, long heapBytes, int users, int objects) {
}
