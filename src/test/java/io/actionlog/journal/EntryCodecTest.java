package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryCodecTest {

    private static byte[] encode(Entry entry) {
        EncodeBuffer buffer = new EncodeBuffer(16);
        int n = EntryCodec.encode(entry, buffer, new ValueTable());
        assertEquals(buffer.length(), n);
        return Arrays.copyOf(buffer.array(), n);
    }

    /** Decodes one entry on its own, as if it were the first the journal held. */
    private static Entry decode(byte[] bytes, int offset, int length) {
        return EntryCodec.decode(bytes, offset, length, new ValueTable());
    }

    private static Entry roundTrip(Entry entry) {
        byte[] bytes = encode(entry);
        Entry decoded = decode(bytes, 0, bytes.length);
        assertEquals(entry, decoded);
        return decoded;
    }

    @Test
    void codecRoundTripsEveryEntryKind() {
        roundTrip(Entries.typical(1));
        roundTrip(Entries.stateChanged(2, 0));
        roundTrip(Entries.logAppended(3, 1));
        roundTrip(new Entry.Created(Long.MAX_VALUE, new ActionData(UUID.randomUUID(), "u", "a", "GET", "/", "o",
                List.of(), "::1", "", "", "", Long.MIN_VALUE + 1, false, UUID.randomUUID(), "me"), State.FAILED.code,
                Long.MAX_VALUE, "logs", "boom", "{\"k\":1}"));
        roundTrip(new Entry.StateChanged(-5, Entry.NO_POSITION, State.CANCELED.code, 0, -1, "", ""));
        roundTrip(new Entry.LogAppended(0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, ""));
    }

    @Test
    void aDecodeWithoutTextsKeepsEveryOtherFieldAndSaysOnlyWhatEachTextIs() {
        UUID retry = UUID.randomUUID();
        Entry.Created c = new Entry.Created(9, new ActionData(UUID.randomUUID(), "u", "a", "GET", "/path/é", "o",
                List.of("p1", "p2"), "::1", "loc", "ua", null, 1_700_000_000_000_000L, true, retry, "me"),
                State.FAILED.code, 1_700_000_001_000_000L, "", "boom", "{}");
        byte[] bytes = encode(c);
        ValueNumbers numbers = new ValueNumbers();
        Entry.Created skimmed = (Entry.Created) EntryCodec.decode(bytes, 0, bytes.length, new ValueTable(), numbers,
                false);
        String out = Entry.TEXT_LEFT_OUT;
        ActionData d = c.data();
        assertEquals(new Entry.Created(9, new ActionData(d.uuid(), "u", "a", "GET", out, "o", List.of("p1", "p2"),
                "::1", "loc", "ua", null, d.startDate(), true, retry, "me"), State.FAILED.code, c.endDate(), "", out,
                "{}"), skimmed);
        assertEquals(List.of(0, 0, 0, 0, 0, 1), List.of(numbers.of(ActionField.USER), numbers.of(ActionField.ACTION),
                numbers.of(ActionField.METHOD), numbers.of(ActionField.OBJECT), numbers.parent(0), numbers.parent(1)));

        byte[] change = encode(new Entry.StateChanged(9, 3, State.SUCCESS.code, 5, 6, "", "{\"k\":1}"));
        assertEquals(new Entry.StateChanged(9, 3, State.SUCCESS.code, 5, 6, "", out),
                EntryCodec.decode(change, 0, change.length, new ValueTable(), null, false));
        byte[] log = encode(new Entry.LogAppended(9, 4, 3, 7, "{}"));
        assertEquals(new Entry.LogAppended(9, 4, 3, 7, "{}"),
                EntryCodec.decode(log, 0, log.length, new ValueTable(), null, false));
    }

    @Test
    void theNumbersOfADecodedEntryAreItsOwnNotThoseOfTheEntryBefore() {
        ValueTable table = new ValueTable();
        EncodeBuffer buffer = new EncodeBuffer(16);
        EntryCodec.encode(new Entry.Created(1, new ActionData(UUID.randomUUID(), "u", "a", "GET", "/", "o",
                List.of("p1", "p2"), "::1", "loc", "ua", null, 1, true, null, "me"), State.SUCCESS.code, 2, "", "",
                "{}"), buffer, table);
        int first = buffer.length();
        String unnumbered = "x".repeat(ValueTable.MAX_LENGTH + 1);
        EntryCodec.encode(new Entry.Created(2, new ActionData(UUID.randomUUID(), null, "a", "GET", "/", unnumbered,
                List.of("p2"), "::1", "loc", "ua", null, 1, true, null, "me"), State.SUCCESS.code, 2, "", "", "{}"),
                buffer, table);
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.length());
        ValueTable replayed = new ValueTable();
        ValueNumbers numbers = new ValueNumbers();
        EntryCodec.decode(bytes, 0, first, replayed, numbers, false);
        assertEquals(List.of(0, 0, 0, 1), List.of(numbers.of(ActionField.USER), numbers.of(ActionField.OBJECT),
                numbers.parent(0), numbers.parent(1)));

        EntryCodec.decode(bytes, first, bytes.length - first, replayed, numbers, false);
        assertEquals(List.of(-1, 0, -1, 1, -1), List.of(numbers.of(ActionField.USER), numbers.of(ActionField.ACTION),
                numbers.of(ActionField.OBJECT), numbers.parent(0), numbers.parent(1)));
    }

    @Test
    void nullsStayDistinctFromEmptyValues() {
        Entry.Created nulls = new Entry.Created(1, new ActionData(null, null, null, null, null, null, null, null, null,
                null, null, Entry.NO_TIME, false, null, null), State.PENDING.code, Entry.NO_TIME, null, null, null);
        Entry.Created empties = new Entry.Created(1, new ActionData(null, "", "", "", "", "", List.of(), "", "", "", "",
                Entry.NO_TIME, false, null, ""), State.PENDING.code, Entry.NO_TIME, "", "", "");
        assertEquals(nulls, roundTrip(nulls));
        assertEquals(empties, roundTrip(empties));
        roundTrip(new Entry.Created(1, new ActionData(null, "u", null, null, null, null, Arrays.asList("a", null, ""),
                null, null, null, null, Entry.NO_TIME, true, null, null), State.PENDING.code, 17, null, null, null));
        roundTrip(new Entry.StateChanged(1, 2, State.SUCCESS.code, Entry.NO_TIME, 99, null, null));
        roundTrip(new Entry.StateChanged(1, 2, State.SUCCESS.code, 99, Entry.NO_TIME, null, null));
        roundTrip(new Entry.LogAppended(1, 2, 3, Entry.NO_TIME, null));
    }

    @Test
    void unicodeRoundTripsAsUtf8() {
        String text = "Tõnu Õunapuu → 東京 😀 \u0000 \u00ff \u07ff \u0800 \uffff";
        Entry.LogAppended entry = new Entry.LogAppended(1, 0, 0, 0, text);
        roundTrip(entry);
        byte[] bytes = encode(entry);
        byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(Entries.indexOf(bytes, utf8) > 0, "strings are stored as plain UTF-8");
    }

    @Test
    void unpairedSurrogatesEncodeLikeTheJdk() {
        String broken = "a\ud800b\udc00";
        Entry.LogAppended decoded = (Entry.LogAppended) EntryCodec.decode(
                ByteBuffer.wrap(encode(new Entry.LogAppended(1, 0, 0, 0, broken))), new ValueTable());
        assertEquals(new String(broken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8), decoded.text());
    }

    @Test
    void decodesFromAnOffsetAndFromByteBuffers() {
        byte[] bytes = encode(Entries.typical(9));
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        assertEquals(Entries.typical(9), decode(padded, 5, bytes.length));
        ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded);
        direct.position(5).limit(5 + bytes.length);
        assertEquals(Entries.typical(9), EntryCodec.decode(direct, new ValueTable()));
        assertEquals(5, direct.position(), "decode leaves the buffer's position alone");
    }

    @Test
    void bufferIsReusedAndEntriesFollowEachOther() {
        EncodeBuffer buffer = new EncodeBuffer(16);
        List<Integer> ends = new ArrayList<>();
        ValueTable written = new ValueTable();
        for (int i = 0; i < 100; i++) {
            EntryCodec.encode(Entries.mixed(i), buffer, written);
            ends.add(buffer.length());
        }
        int start = 0;
        ValueTable read = new ValueTable();
        for (int i = 0; i < 100; i++) {
            assertEquals(Entries.mixed(i), EntryCodec.decode(buffer.array(), start, ends.get(i) - start, read));
            start = ends.get(i);
        }
        byte[] before = Arrays.copyOf(buffer.array(), buffer.length());
        buffer.clear();
        ValueTable again = new ValueTable();
        for (int i = 0; i < 100; i++) {
            EntryCodec.encode(Entries.mixed(i), buffer, again);
        }
        assertArrayEquals(before, Arrays.copyOf(buffer.array(), buffer.length()));
    }

    @Test
    void everyTruncationIsReportedAsCorrupt() {
        for (Entry entry : List.of(Entries.typical(1), Entries.stateChanged(2, 1), Entries.logAppended(3, 2))) {
            byte[] bytes = encode(entry);
            for (int n = 0; n < bytes.length; n++) {
                int length = n;
                assertThrows(CorruptEntryException.class, () -> decode(bytes, 0, length));
            }
        }
    }

    @Test
    void flippedBitsAreReportedAsCorrupt() {
        byte[] bytes = encode(Entries.typical(1));
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] copy = bytes.clone();
                copy[i] ^= (byte) (1 << bit);
                assertThrows(CorruptEntryException.class, () -> decode(copy, 0, copy.length));
            }
        }
    }

    @Test
    void randomGarbageIsReportedAsCorrupt() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            if (garbage.length > 0 && random.nextBoolean()) {
                garbage[0] = EntryCodec.VERSION; // get past the version check now and then
            }
            assertThrows(CorruptEntryException.class, () -> decode(garbage, 0, garbage.length));
        }
    }

    @Test
    void malformedFieldsBehindAValidChecksumAreCorruptNotIndexErrors() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] body = new byte[2 + random.nextInt(60)];
            random.nextBytes(body);
            body[0] = EntryCodec.VERSION;
            body[1] = (byte) (1 + random.nextInt(3));
            byte[] bytes = withChecksum(body);
            try {
                decode(bytes, 0, bytes.length);
            } catch (CorruptEntryException expected) {
                // anything else (an index or size exception) fails the test
            }
        }
    }

    @Test
    void unknownVersionAndTypeAreNamed() {
        byte[] bytes = encode(Entries.logAppended(1, 0));
        byte[] future = bytes.clone();
        future[0] = EntryCodec.VERSION + 1;
        CorruptEntryException version = assertThrows(CorruptEntryException.class,
                () -> decode(future, 0, future.length));
        assertTrue(version.getMessage().contains("version " + (EntryCodec.VERSION + 1)), version.getMessage());
        byte[] body = Arrays.copyOf(bytes, bytes.length - 4);
        body[1] = 9;
        byte[] unknownType = withChecksum(body);
        CorruptEntryException type = assertThrows(CorruptEntryException.class,
                () -> decode(unknownType, 0, unknownType.length));
        assertTrue(type.getMessage().contains("type 9"), type.getMessage());
    }

    @Test
    void unknownStateIsRejectedBeforeAnythingIsWritten() {
        EncodeBuffer buffer = new EncodeBuffer(16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntryCodec.encode(
                new Entry.StateChanged(1, 0, (byte) 42, 0, 0, null, null), buffer, new ValueTable()));
        assertTrue(e.getMessage().contains("42"));
    }

    @Test
    void typicalCreatedEntryIsCompact() {
        int typical = encode(Entries.typical(1_000_000)).length + 4;
        int large = encode(Entries.large(1_000_000)).length + 4;
        EncodeBuffer buffer = new EncodeBuffer(16);
        ValueTable values = new ValueTable();
        EntryCodec.encode(Entries.typical(999_999), buffer, values);
        int repeat = EntryCodec.encode(Entries.typical(1_000_000), buffer, values) + 4;
        System.out.printf("codec: typical Created: %d bytes as JSON, %d bytes of string values, %d bytes on disk "
                        + "with Chronicle's 4-byte header the first time its values appear, %d after; larger "
                        + "Created: %d bytes as JSON, %d of string values, %d on disk the first time%n",
                Entries.json(Entries.typical(1_000_000)).length(), Entries.stringBytes(Entries.typical(1)), typical,
                repeat, Entries.json(Entries.large(1_000_000)).length(), Entries.stringBytes(Entries.large(1)), large);
        assertTrue(typical <= 250, "typical entry takes " + typical + " bytes");
        assertTrue(repeat <= 150, "typical entry with known values takes " + repeat + " bytes");
    }

    private static byte[] withChecksum(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        int value = (int) crc.getValue();
        byte[] bytes = Arrays.copyOf(body, body.length + 4);
        for (int i = 0; i < 4; i++) {
            bytes[body.length + i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }
}
