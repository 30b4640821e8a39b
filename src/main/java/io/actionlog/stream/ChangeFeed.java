package io.actionlog.stream;

import io.actionlog.journal.Entry;
import io.actionlog.store.Writer;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The live side of the journal. The writer publishes every durable batch here; the feed passes each subscriber
 * the entries it asked for: every create and state change (the events feeds), or every entry of one action (a
 * logs stream). The horizon is the position just after the newest published entry.
 *
 * <p>Threads: {@link #published} runs on the writer thread, the rest on event loops. One lock makes "subscribe
 * and learn the horizon" atomic with respect to a publication, so a subscriber is offered exactly the entries at
 * or after the horizon it was given, and nothing before: reading history below the horizon and then the live
 * entries has neither a gap nor a duplicate. Subscribers only enqueue, so the writer never waits long on the lock.
 */
final class ChangeFeed implements Writer.Listener {

    /** Takes entries on the writer thread; must return at once. */
    interface Subscriber {
        void offer(List<Writer.Applied> entries);
    }

    private final Object lock = new Object();
    private final List<Subscriber> changes = new ArrayList<>();
    private final Long2ObjectOpenHashMap<List<Subscriber>> byAction = new Long2ObjectOpenHashMap<>();
    private long horizon;

    ChangeFeed(long horizon) {
        this.horizon = horizon;
    }

    long horizon() {
        synchronized (lock) {
            return horizon;
        }
    }

    /** Subscribes to every create and state change; returns the horizon the subscription starts at. */
    long subscribeChanges(Subscriber s) {
        synchronized (lock) {
            changes.add(s);
            return horizon;
        }
    }

    /** Subscribes to every entry of one action; returns the horizon the subscription starts at. */
    long subscribeAction(long id, Subscriber s) {
        synchronized (lock) {
            byAction.computeIfAbsent(id, k -> new ArrayList<>(1)).add(s);
            return horizon;
        }
    }

    void unsubscribe(Subscriber s) {
        synchronized (lock) {
            changes.remove(s);
            byAction.values().removeIf(list -> list.remove(s) && list.isEmpty());
        }
    }

    @Override
    public void published(List<Writer.Applied> entries) {
        synchronized (lock) {
            if (!changes.isEmpty()) {
                List<Writer.Applied> creationsAndMoves = new ArrayList<>(entries.size());
                for (Writer.Applied a : entries) {
                    if (!(a.entry() instanceof Entry.LogAppended)) {
                        creationsAndMoves.add(a);
                    }
                }
                offerAll(changes, creationsAndMoves);
            }
            if (!byAction.isEmpty()) {
                offerByAction(entries);
            }
            horizon = entries.get(entries.size() - 1).position() + 1;
        }
    }

    private void offerByAction(List<Writer.Applied> entries) {
        Long2ObjectLinkedOpenHashMap<List<Writer.Applied>> grouped = new Long2ObjectLinkedOpenHashMap<>();
        for (Writer.Applied a : entries) {
            long id = a.entry().id();
            if (byAction.containsKey(id)) {
                grouped.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
            }
        }
        grouped.long2ObjectEntrySet().fastForEach(e -> offerAll(byAction.get(e.getLongKey()), e.getValue()));
    }

    private static void offerAll(List<Subscriber> subscribers, List<Writer.Applied> entries) {
        if (entries.isEmpty()) {
            return;
        }
        for (Subscriber s : subscribers) {
            s.offer(entries);
        }
    }
}
