package io.actionlog.index;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batched, two-thread start-up replay builds exactly the index that applying entries one by one builds. */
class ReplayMatchesLiveApplyTest {

    @Test
    void replayedIndexAnswersLikeTheLiveOne() {
        List<Entry> entries = randomJournal(new Random(5), 30_000);
        ActionIndex live = new ActionIndex();
        for (int i = 0; i < entries.size(); i++) {
            int p = i;
            live.write(() -> {
                live.apply(p, entries.get(p));
                return null;
            });
        }
        ActionIndex replayed = new ActionIndex();
        long n = replayed.replay(consumer -> {
            for (int i = 0; i < entries.size(); i++) {
                consumer.accept(i, entries.get(i));
            }
            return entries.size();
        });
        assertEquals(entries.size(), n);
        for (Query q : queries()) {
            assertEquals(live.query(q), replayed.query(q), q::toString);
        }
    }

    @Test
    void replayFromTheJournalFilesFindsValuesByTheirNumbersAndBuildsTheSameIndex(@TempDir Path dir) {
        List<Entry> entries = randomJournal(new Random(7), 20_000);
        ActionIndex live = new ActionIndex();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            for (int from = 0; from < entries.size(); from += 1000) {
                List<Entry> batch = entries.subList(from, Math.min(entries.size(), from + 1000));
                long first = journal.append(batch);
                live.write(() -> {
                    for (int i = 0; i < batch.size(); i++) {
                        live.apply(first + i, batch.get(i));
                    }
                    return null;
                });
            }
        }
        ActionIndex replayed = new ActionIndex();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            assertEquals(entries.size(), replayed.replay(consumer -> journal.replay(0, consumer)));
        }
        for (Query q : queries()) {
            assertEquals(live.query(q), replayed.query(q), q::toString);
        }
        for (Entry e : entries) {
            if (e instanceof Entry.Created c) {
                assertEquals(live.uuidCandidates(c.data().uuid()), replayed.uuidCandidates(c.data().uuid()));
                assertEquals(List.of(c.id()), replayed.uuidCandidates(c.data().uuid()).stream().map(Row::id).toList());
            }
        }
        assertEquals(live.stats().users(), replayed.stats().users());
        assertEquals(live.stats().objects(), replayed.stats().objects());
    }

    @Test
    void aBrokenJournalStopsTheReplayWithItsError() {
        List<Entry> entries = randomJournal(new Random(6), 10_000);
        entries.add(new Entry.StateChanged(999_999, 0, State.SUCCESS.code, 0, 0, "", "{}"));
        ActionIndex index = new ActionIndex();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> index.replay(consumer -> {
            for (int i = 0; i < entries.size(); i++) {
                consumer.accept(i, entries.get(i));
            }
            return entries.size();
        }));
        assertEquals("journal entry refers to unknown action id 999999", e.getMessage());
    }

    private static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Order order : Order.values()) {
            Query.Builder b = Query.builder();
            b.order = order;
            b.limit = 50;
            b.offset = 1234;
            out.add(b.build());
            b.user = "u3";
            out.add(b.build());
            b.user = null;
            b.object = "/o/7/";
            b.includeRelated = true;
            b.states(EnumSet.of(State.SUCCESS, State.FAILED));
            out.add(b.build());
            b.object = null;
            b.states(EnumSet.of(State.PENDING));
            b.ip = "10.0.0.4";
            out.add(b.build());
            b.ip = null;
        }
        return out;
    }

    static List<Entry> randomJournal(Random rnd, int actions) {
        List<Entry> entries = new ArrayList<>();
        long t = 1_700_000_000_000_000L;
        for (int i = 1; i <= actions; i++) {
            t += rnd.nextInt(5_000_000);
            entries.add(new Entry.Created(i, new ActionData(new UUID(rnd.nextLong(), rnd.nextLong()),
                    "u" + rnd.nextInt(20), "act" + rnd.nextInt(5), "POST", "/p", "/o/" + rnd.nextInt(50) + "/",
                    List.of("/o/" + rnd.nextInt(50) + "/"), "10.0.0." + rnd.nextInt(9), "unknown", "ua", "", t, true,
                    null, "rec"), State.PENDING.code, Entry.NO_TIME, "", rnd.nextInt(4) == 0 ? "boom" : "",
                    rnd.nextInt(3) == 0 ? "{\"n\":1}" : "{}"));
            if (rnd.nextInt(3) == 0 && i > 10) {
                long id = i - rnd.nextInt(10);
                entries.add(new Entry.StateChanged(id, 0, State.IN_PROGRESS.code, t, Entry.NO_TIME, "", "{}"));
            }
        }
        return entries;
    }
}
