package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values that repeat from action to action are journaled once and then referred to by number. */
class RepeatedValuesTest {

    @TempDir
    Path dir;

    private static byte[] encode(Entry entry, ValueTable values) {
        EncodeBuffer buffer = new EncodeBuffer(64);
        int n = EntryCodec.encode(entry, buffer, values);
        return Arrays.copyOf(buffer.array(), n);
    }

    private static Entry decode(byte[] bytes, ValueTable values) {
        return EntryCodec.decode(bytes, 0, bytes.length, values);
    }

    private static Entry.Created byUser(long id, String user, String userAgent) {
        Entry.Created t = Entries.typical(id);
        ActionData d = t.data();
        return new Entry.Created(id, new ActionData(d.uuid(), user, d.action(), d.method(), d.path(), d.object(),
                d.parents(), d.ip(), d.location(), userAgent, d.body(), d.startDate(), d.userAction(), d.retryOf(),
                d.recordedBy()), t.state(), t.endDate(), t.logs(), t.error(), t.metadata());
    }

    @Test
    void aRepeatedValueIsWrittenInFullOnceThenByItsNumber() {
        ValueTable written = new ValueTable();
        byte[] first = encode(Entries.typical(1), written);
        byte[] second = encode(Entries.typical(2), written);
        byte[] agent = "python-requests/2.31".getBytes(StandardCharsets.UTF_8);
        assertTrue(Entries.indexOf(first, agent) > 0);
        assertEquals(-1, Entries.indexOf(second, agent), "the second entry carries the user agent's number only");
        assertTrue(second.length < first.length - 60, first.length + " then " + second.length + " bytes");

        ValueTable read = new ValueTable();
        Entry.Created one = (Entry.Created) decode(first, read);
        Entry.Created two = (Entry.Created) decode(second, read);
        assertEquals(Entries.typical(1), one);
        assertEquals(Entries.typical(2), two);
        assertSame(one.data().user(), two.data().user(), "decoded entries share one string per value");
        assertSame(one.data().parents().get(0), two.data().parents().get(0));
    }

    @Test
    void aRepeatedValueReadByItsNumberHasItsWholeUtf8AndItsEscapeFlag() {
        ValueTable values = new ValueTable();
        String wide = "Zürich 東京";
        String quoted = "say \"hi\"";
        encode(byUser(1, wide, quoted), values);
        byte[] second = encode(byUser(2, wide, quoted), values);
        assertEquals(-1, Entries.indexOf(second, wide.getBytes(StandardCharsets.UTF_8)), "carried by number");

        CreatedBytes scanned = new CreatedBytes();
        EntryCodec.scanCreated(second, 0, second.length, values, scanned);
        byte[] wideUtf8 = wide.getBytes(StandardCharsets.UTF_8);
        assertEquals(wideUtf8.length, scanned.length(ActionField.USER), "bytes, not chars: " + wide.length());
        assertEquals(wide, new String(scanned.array(ActionField.USER), scanned.offset(ActionField.USER),
                scanned.length(ActionField.USER), StandardCharsets.UTF_8));
        assertTrue(scanned.number(ActionField.USER) >= 0);
        assertTrue(scanned.plain(ActionField.USER), "valid UTF-8 without quotes or controls goes into JSON as it is");
        assertEquals(quoted, new String(scanned.array(ActionField.USER_AGENT), scanned.offset(ActionField.USER_AGENT),
                scanned.length(ActionField.USER_AGENT), StandardCharsets.UTF_8));
        assertTrue(scanned.number(ActionField.USER_AGENT) >= 0);
        assertFalse(scanned.plain(ActionField.USER_AGENT), "its quotes need escapes");
    }

    @Test
    void anEntryUsingANumberNothingDefinedIsCorrupt() {
        ValueTable written = new ValueTable();
        encode(Entries.typical(1), written);
        byte[] second = encode(Entries.typical(2), written);
        CorruptEntryException e = assertThrows(CorruptEntryException.class, () -> decode(second, new ValueTable()));
        assertTrue(e.getMessage().contains("not defined"), e.getMessage());
    }

    @Test
    void anEntryThatDoesNotDecodeLosesOnlyTheNumbersItDefined() {
        ValueTable written = new ValueTable();
        byte[] first = encode(byUser(1, "zoe", "cli"), written);
        encode(byUser(2, "anna", "cli"), written);
        byte[] b = encode(byUser(3, "bert", "cli"), written);
        byte[] c = encode(byUser(4, "bert", "cli"), written);
        byte[] d = encode(byUser(5, "anna", "cli"), written);

        ValueTable read = new ValueTable();
        decode(first, read); // the entry defining anna is then skipped as corrupt
        assertEquals(byUser(3, "bert", "cli"), decode(b, read));
        assertEquals(byUser(4, "bert", "cli"), decode(c, read), "bert keeps his number");
        CorruptEntryException e = assertThrows(CorruptEntryException.class, () -> decode(d, read));
        assertTrue(e.getMessage().contains("number 1 of " + ActionField.USER.apiName()), e.getMessage());
    }

    @Test
    void numbersTakenBackAreAssignedAgainAndWrittenInFull() {
        ValueTable values = new ValueTable();
        encode(byUser(1, "anna", "cli"), values);
        values.commit();
        int mark = values.mark();
        encode(byUser(2, "bert", "curl"), values);
        assertEquals(2, values.count(ActionField.USER));
        values.rollback(mark);
        assertEquals(1, values.count(ActionField.USER));
        assertEquals(-1, values.numberOf(ActionField.USER, "bert"));
        assertEquals(-1, values.numberOf(ActionField.USER_AGENT, "curl"));
        assertEquals(0, values.numberOf(ActionField.USER, "anna"));
        byte[] again = encode(byUser(2, "bert", "curl"), values);
        assertTrue(Entries.indexOf(again, "bert".getBytes(StandardCharsets.UTF_8)) > 0);
        assertEquals(1, values.numberOf(ActionField.USER, "bert"));
    }

    @Test
    void longValuesAndSurrogatesAreNeverNumbered() {
        String longAgent = "x".repeat(ValueTable.MAX_LENGTH + 1);
        String broken = "agent \ud800";
        ValueTable written = new ValueTable();
        List<byte[]> entries = new ArrayList<>();
        for (int id = 1; id <= 2; id++) {
            entries.add(encode(byUser(id, "anna", longAgent), written));
            entries.add(encode(byUser(id + 2, "anna", broken), written));
        }
        byte[] longBytes = longAgent.getBytes(StandardCharsets.UTF_8);
        assertTrue(Entries.indexOf(entries.get(2), longBytes) > 0, "written in full every time");
        assertEquals(-1, written.numberOf(ActionField.USER_AGENT, longAgent));
        assertEquals(-1, written.numberOf(ActionField.USER_AGENT, broken));
        ValueTable read = new ValueTable();
        for (byte[] bytes : entries) {
            decode(bytes, read);
        }
        assertEquals(longAgent, ((Entry.Created) decode(entries.get(2), read)).data().userAgent());
    }

    @Test
    void entriesOfFormatOneStillDecode() {
        Entry.Created c = Entries.typical(5);
        ActionData d = c.data();
        EncodeBuffer out = new EncodeBuffer(64);
        out.u8(EntryCodec.PLAIN_STRINGS_VERSION);
        out.u8(EntryCodec.CREATED);
        out.u8(0b1011); // user action, uuid, start date
        out.varLong(c.id());
        out.uuid(d.uuid());
        for (String s : new String[]{d.user(), d.action(), d.method(), d.path(), d.object()}) {
            out.string(s);
        }
        out.strings(d.parents());
        for (String s : new String[]{d.ip(), d.location(), d.userAgent(), d.body()}) {
            out.string(s);
        }
        out.u8(c.state());
        out.time(d.startDate(), EntryCodec.TIME_BASE);
        out.string(c.logs());
        out.string(c.error());
        out.string(c.metadata());
        out.string(d.recordedBy());
        out.checksum(0);
        byte[] bytes = Arrays.copyOf(out.array(), out.length());
        assertEquals(c, decode(bytes, new ValueTable()));
        CreatedBytes scanned = new CreatedBytes();
        EntryCodec.scanCreated(bytes, 0, bytes.length, new ValueTable(), scanned);
        assertEquals(List.of(d.user(), d.action(), d.method(), d.path(), d.object(), d.ip(), d.location(),
                d.userAgent(), d.body(), d.recordedBy(), d.parents().get(0)), List.of(text(scanned, ActionField.USER),
                text(scanned, ActionField.ACTION), text(scanned, ActionField.METHOD), text(scanned, ActionField.PATH),
                text(scanned, ActionField.OBJECT), text(scanned, ActionField.IP),
                text(scanned, ActionField.LOCATION), text(scanned, ActionField.USER_AGENT),
                text(scanned, ActionField.BODY), text(scanned, ActionField.RECORDED_BY),
                new String(scanned.parentArray(0), scanned.parentOffset(0), scanned.parentLength(0),
                        StandardCharsets.UTF_8)));
        assertEquals(List.of(c.id(), d.uuid().getMostSignificantBits(), d.startDate()),
                List.of(scanned.id(), scanned.uuidHigh(), scanned.startDate()));
    }

    private static String text(CreatedBytes c, ActionField field) {
        return c.array(field) == null ? null
                : new String(c.array(field), c.offset(field), c.length(field), StandardCharsets.UTF_8);
    }

    @Test
    void aRefusedBatchTakesBackItsNumbersSoLaterEntriesStayReadable() {
        Entry.Created fresh = byUser(1, "someone-new", "new-agent/1.0");
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            List<Entry> refused = List.of(fresh, new Entry.StateChanged(1, 0, (byte) 77, 0, 0, null, null));
            assertThrows(IllegalArgumentException.class, () -> journal.append(refused));
            journal.append(List.of(fresh));
            journal.append(List.of(byUser(2, "someone-new", "new-agent/1.0")));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            assertEquals(byUser(2, "someone-new", "new-agent/1.0"), journal.read(1), "read before any replay");
            List<Entry> replayed = new ArrayList<>();
            journal.replay(0, (position, entry) -> replayed.add(entry));
            assertEquals(List.of(fresh, byUser(2, "someone-new", "new-agent/1.0")), replayed);
            journal.append(List.of(byUser(3, "someone-new", "other-agent")));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            List<Entry> replayed = new ArrayList<>();
            assertEquals(3, journal.replay(0, (position, entry) -> replayed.add(entry)));
            assertEquals(byUser(3, "someone-new", "other-agent"), replayed.get(2));
        }
    }

    @Test
    void anAppendBeforeAnyReplayContinuesTheNumbering() {
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            journal.append(List.of(byUser(1, "anna", "cli"), byUser(2, "bert", "cli")));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            journal.append(List.of(byUser(3, "carl", "cli"), byUser(4, "anna", "cli")));
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            List<Entry> replayed = new ArrayList<>();
            journal.replay(0, (position, entry) -> replayed.add(entry));
            assertEquals(List.of(byUser(1, "anna", "cli"), byUser(2, "bert", "cli"), byUser(3, "carl", "cli"),
                    byUser(4, "anna", "cli")), replayed);
        }
    }

    @Test
    void nullAndEmptyValuesStayApart() {
        Entry.Created c = new Entry.Created(1, new ActionData(UUID.randomUUID(), "", null, "", null, "",
                Arrays.asList("", null), null, "", null, "", Entry.NO_TIME, false, null, ""), State.PENDING.code,
                Entry.NO_TIME, "", "", "{}");
        ValueTable written = new ValueTable();
        byte[] a = encode(c, written);
        byte[] b = encode(c, written);
        ValueTable read = new ValueTable();
        assertEquals(c, decode(a, read));
        assertEquals(c, decode(b, read));
    }
}
