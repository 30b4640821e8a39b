package io.actionlog.http.tutum;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.Action;
import io.actionlog.action.State;
import io.actionlog.http.JsonBytes;
import io.actionlog.index.Row;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.CreatedBytes;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.store.ActionReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A list row written from an entry's stored bytes is exactly the row written from the decoded action. */
class RowFromStoredBytesTest {

    @Test
    void everyListRowIsTheSameBytesEitherWay(@TempDir Path dir) {
        Random rnd = new Random(21);
        List<Entry.Created> entries = new ArrayList<>();
        for (int i = 1; i <= 3000; i++) {
            entries.add(randomAction(rnd, i));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            journal.append(new ArrayList<>(entries));
            assertSameRows(journal, entries, rnd);
        }
        // Reopened, the repeated values come from what the journal learns while reading, not from its own appends.
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            assertSameRows(journal, entries, rnd);
        }
    }

    private static void assertSameRows(ChronicleJournal journal, List<Entry.Created> entries, Random rnd) {
        ActionReader reader = new ActionReader(journal);
        for (int p = 0; p < entries.size(); p++) {
            Entry.Created c = entries.get(p);
            State state = State.values()[rnd.nextInt(State.values().length)];
            long end = state.isTerminal() && rnd.nextBoolean() ? c.data().startDate() + rnd.nextInt(1_000_000_000)
                    : Long.MIN_VALUE;
            Row row = new Row(p, p, p, state.code, end);
            Action decoded = reader.read(row, ActionReader.Depth.RECORDED);
            JsonBytes expected = new JsonBytes(64);
            TutumView.write(expected, decoded, false);
            CreatedBytes stored = new CreatedBytes();
            journal.readCreated(p, stored);
            JsonBytes actual = new JsonBytes(64);
            TutumView.write(actual, stored, row);
            assertEquals(new String(expected.toByteArray(), StandardCharsets.UTF_8),
                    new String(actual.toByteArray(), StandardCharsets.UTF_8), "entry " + p);
        }
    }

    private static Entry.Created randomAction(Random rnd, long id) {
        String[] users = {"alice", "bob", "c\u00e9line", "\u5f20\u4f1f", "emoji\uD83D\uDE00", "tab\there"};
        List<String> parents = switch (rnd.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of("/api/v1/stack/" + rnd.nextInt(5) + "/");
            case 2 -> Arrays.asList("/p/" + rnd.nextInt(3) + "/", odd(rnd), null);
            default -> List.of(odd(rnd), odd(rnd), "/p/1/");
        };
        return new Entry.Created(id, new ActionData(new UUID(rnd.nextLong(), rnd.nextLong()),
                users[rnd.nextInt(users.length)], rnd.nextInt(5) == 0 ? odd(rnd) : "Service Start",
                rnd.nextBoolean() ? "POST" : null, odd(rnd), "/api/v1/service/" + rnd.nextInt(40) + "/", parents,
                "10.0.0." + rnd.nextInt(4), rnd.nextBoolean() ? "Tallinn, EE" : "unknown",
                rnd.nextInt(3) == 0 ? null : "agent/" + rnd.nextInt(3), rnd.nextBoolean() ? odd(rnd) : null,
                1_767_225_600_000_000L + id * 1_000_003, rnd.nextBoolean(),
                rnd.nextInt(4) == 0 ? UUID.randomUUID() : null, rnd.nextBoolean() ? "recorder" : "r\"2"),
                State.PENDING.code, Entry.NO_TIME, "", "", "{}");
    }

    /** A string of every sort of character a JSON writer must treat with care, of random length. */
    private static String odd(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> sb.append((char) rnd.nextInt(0x20));
                case 1 -> sb.append("\"\\/");
                case 2 -> sb.append((char) (0x80 + rnd.nextInt(0x700)));
                case 3 -> sb.appendCodePoint(0x10000 + rnd.nextInt(0x1000));
                default -> sb.append("plain-text-").append(i);
            }
        }
        return sb.toString();
    }
}
