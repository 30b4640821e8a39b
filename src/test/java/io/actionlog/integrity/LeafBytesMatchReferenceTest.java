package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LeafBytes} writes its bytes by hand for speed; over random entries (texts with escapes, control
 * characters, non-ASCII, surrogate pairs and unpaired surrogates, nulls, empty lists, metadata with whitespace,
 * escapes, repeated and unsorted names, nested values and numbers of any size) they are exactly those of the plain
 * canonicalisation in {@link ReferenceLeaf}, the second time too, and its leaf hash is SHA-256 of 0x00 and those bytes.
 */
class LeafBytesMatchReferenceTest {
    private static final String[] PIECES = {"a", "Z", "0", " ", "/", "<", "\"", "\\", "\n", "\t", "\r", "\b", "\f",
            "\u0000", "\u001f", "\u007f", "\u0080", "é", "€", "\u2028", "\uFB33", "\uD83D\uDE00", "\uD800", "\uDFFF",
            "\uFFFF", "Create VM", "/api/v1/vm/12/"};
    private static final String[] NUMBERS = {"0", "-0", "7", "1.50", "-12.0e-3", "1E+2", "1e400",
            "123456789012345678901234567890123456789", "-9223372036854775809", "0.000000000000000000001"};
    private static final String[] SPACE = {"", "", "", " ", "\n\t ", "\r\n"};

    private final Random random = new Random(2026);
    private final LeafBytes leaves = new LeafBytes();
    private final MessageDigest sha = Merkle.sha256();

    @Test
    void randomEntriesHaveTheReferenceBytesAndHash() {
        for (int i = 0; i < 1000; i++) {
            Entry entry = entry();
            UUID uuid = random.nextInt(10) == 0 ? null : new UUID(random.nextLong(), random.nextLong());
            byte[] expected = ReferenceLeaf.of(entry, uuid);
            byte[] actual = leaves.of(entry, uuid);
            assertArrayEquals(expected, actual, () -> entry + "\nexpected " + new String(expected,
                    StandardCharsets.UTF_8) + "\nactual   " + new String(actual, StandardCharsets.UTF_8));
            // Again: metadata seen before is copied from the kept canonical bytes, not parsed.
            assertArrayEquals(expected, leaves.of(entry, uuid));
            byte[] hash = new byte[Merkle.HASH_BYTES + 3];
            leaves.hash(entry, uuid, sha, hash, 3);
            assertArrayEquals(Merkle.leafHash(sha, expected), java.util.Arrays.copyOfRange(hash, 3, hash.length));
        }
    }

    /**
     * {@code verify} writes the leaf bytes from the journal's UTF-8 ({@link EntryBytes}) rather than from decoded
     * entries: over the same random entries, with retention's entries among them, written to a journal and read
     * back both ways (the bytes first, so that they learn the value numbers), the two leaves are the same bytes.
     */
    @Test
    void entriesReadAsBytesHaveTheLeafBytesOfTheDecodedEntries(@TempDir Path dir) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            entries.add(i % 500 == 7 ? new Entry.Expired("days=2", new long[] {1, 3, 9, 9})
                    : i % 500 == 8 ? new Entry.Dropped("days=3", 0, i, random.nextInt(1000)) : entry());
        }
        try (Journal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            journal.append(entries);
        }
        List<byte[]> fromBytes = new ArrayList<>();
        try (Journal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            journal.replayBytes(0, (position, entry) ->
                    fromBytes.add(leaves.of(entry, position % 7 != 0, position + 1, -position)));
            journal.replay(0, (position, entry) -> {
                byte[] expected = leaves.of(entry, position % 7 == 0 ? null : new UUID(position + 1, -position));
                byte[] actual = fromBytes.get((int) position);
                assertArrayEquals(expected, actual, () -> "position " + position + "\nexpected "
                        + new String(expected, StandardCharsets.UTF_8) + "\nactual   "
                        + new String(actual, StandardCharsets.UTF_8));
            });
        }
        assertEquals(entries.size(), fromBytes.size());
    }

    /**
     * Members are kept by value number, and the same number in another journal is another value. One leaf writer
     * reading two journals in turns, whose objects have the same numbers and other texts, writes each journal's own;
     * after some 90 turns the members kept for one field pass what it keeps (3 MiB), and the rest are written as
     * they come, the same bytes.
     */
    @Test
    void oneLeafWriterReadingTwoJournalsInTurnsWritesEachJournalsOwnValues(@TempDir Path dir) {
        Path[] dirs = {dir.resolve("a"), dir.resolve("b")};
        List<List<byte[]>> expected = new ArrayList<>();
        for (int j = 0; j < 2; j++) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                // Each object twice: the entry that defines a value does not refer to it by number; the second does.
                String object = ("/api/v1/vm/" + "ab".charAt(j) + i % 200 + "/").repeat(20).substring(0, 170);
                ActionData data = new ActionData(new UUID(j, i), "alice", "Create VM", "POST", "/api/v1/vm/1/",
                        object, List.of(), "10.0.0.1", "Tallinn, EE", "curl", "{}", 1_000_000L * i, true, null,
                        "admin");
                entries.add(new Entry.Created(i + 1, data, State.SUCCESS.code, Entry.NO_TIME, "", "", "{}"));
            }
            try (Journal journal = ChronicleJournal.open(dirs[j], Durability.PROCESS)) {
                journal.append(entries);
            }
            LeafBytes fresh = new LeafBytes();
            expected.add(entries.stream().map(e -> fresh.of(e, null)).toList());
        }
        try (Journal a = ChronicleJournal.open(dirs[0], Durability.PROCESS);
             Journal b = ChronicleJournal.open(dirs[1], Durability.PROCESS)) {
            Journal[] journals = {a, b};
            for (int turn = 0; turn < 200; turn++) {
                int j = turn % 2;
                List<byte[]> want = expected.get(j);
                int[] read = {0};
                journals[j].replayBytes(0, (position, entry) -> {
                    byte[] actual = leaves.of(entry, false, 0, 0);
                    assertArrayEquals(want.get((int) position), actual, () -> "journal " + j + ", position "
                            + position + "\nactual " + new String(actual, StandardCharsets.UTF_8));
                    read[0]++;
                });
                assertEquals(400, read[0]);
            }
        }
    }

    private Entry entry() {
        long id = random.nextInt(4) == 0 ? random.nextLong() & Long.MAX_VALUE : random.nextInt(1_000_000);
        byte state = State.values()[random.nextInt(State.values().length)].code;
        return switch (random.nextInt(3)) {
            case 0 -> new Entry.Created(id, data(), state, time(), text(), text(), json());
            case 1 -> new Entry.StateChanged(id, 0, state, time(), time(), text(), json());
            default -> new Entry.LogAppended(id, 0, 0, time(), text());
        };
    }

    private ActionData data() {
        List<String> parents = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            parents.add(text());
        }
        return new ActionData(random.nextInt(10) == 0 ? null : UUID.randomUUID(), text(), text(), text(), text(),
                text(), parents, text(), text(), text(), text(), time(), random.nextBoolean(),
                random.nextInt(3) == 0 ? UUID.randomUUID() : null, text());
    }

    /** Epoch microseconds from 1600 to 2600, or unset. */
    private long time() {
        return random.nextInt(8) == 0 ? Entry.NO_TIME : -11_676_096_000_000_000L + (random.nextLong() & Long.MAX_VALUE)
                % 31_556_952_000_000_000L;
    }

    private String text() {
        if (random.nextInt(12) == 0) {
            return random.nextBoolean() ? null : "";
        }
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(random.nextInt(5) == 0 ? 200 : 12); i > 0; i--) {
            s.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : "plain-text");
        }
        return s.toString();
    }

    /** Recorded JSON text: an object, as metadata always is, written with the freedom JSON allows. */
    private String json() {
        return random.nextInt(5) == 0 ? "{}" : object(0);
    }

    private String value(int depth) {
        int kind = depth > 3 ? 3 + random.nextInt(4) : random.nextInt(7);
        return switch (kind) {
            case 0 -> object(depth + 1);
            case 1 -> {
                StringBuilder a = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.append(a.length() > 1 ? "," : "").append(space()).append(value(depth + 1)).append(space());
                }
                yield a.append(']').toString();
            }
            case 2, 3 -> literal(text());
            case 4 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 5 -> random.nextBoolean() ? "true" : "false";
            default -> "null";
        };
    }

    private String object(int depth) {
        StringBuilder o = new StringBuilder("{");
        List<String> names = List.of("a", "b", "B", "é", "\uD83D\uDE00", "\uFB33", "a\u0000", "", "containers");
        for (int i = random.nextInt(5); i > 0; i--) {
            String name = random.nextInt(4) == 0 ? text() : names.get(random.nextInt(names.size()));
            o.append(o.length() > 1 ? "," : "").append(space()).append(literal(name == null ? "n" : name))
                    .append(space()).append(':').append(space()).append(value(depth)).append(space());
        }
        return o.append('}').toString();
    }

    /** A JSON string literal of {@code s}, each char escaped where it must be and sometimes where it may be. */
    private String literal(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || random.nextInt(10) == 0) {
                int named = "\"\\\b\f\n\r\t/".indexOf(c);
                out.append(named >= 0 && random.nextBoolean() ? "\\" + "\"\\bfnrt/".charAt(named)
                        : String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private String space() {
        return SPACE[random.nextInt(SPACE.length)];
    }
}
