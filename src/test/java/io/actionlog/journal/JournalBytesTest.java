package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bytes of format 2, pinned: a varied run of entries, encoded through one value table as the writer does, must
 * come out exactly as recorded here, and the recorded bytes must read back to the same entries. Any change to the
 * codec that moves a byte is a format change and fails here first.
 */
class JournalBytesTest {
    private static final UUID A = new UUID(0x0123_4567_89AB_CDEFL, 0xFEDC_BA98_7654_3210L);
    private static final UUID B = new UUID(-1L, 1L);
    private static final long T = 1_763_900_000_123_456L;

    /** Every field set, some values new (defined), some repeated (by number), some never numbered. */
    static List<Entry> entries() {
        String longAgent = "agent/" + "x".repeat(ValueTable.MAX_LENGTH);
        return List.of(
                created(1, A, "alice", "instance.create", "POST", "/api/instances/", "instance:1",
                        List.of("project:1"), "192.0.2.17", "Tallinn, EE", "python-requests/2.31", "{\"a\":1}",
                        State.PENDING, T, Entry.NO_TIME, "", "", "{}", true, null, "waldur"),
                created(2, B, "alice", "instance.create", "POST", "/api/instances/", "instance:2",
                        List.of("project:1", "customer:7", "project:1"), "192.0.2.17", "Tallinn, EE", longAgent,
                        "", State.FAILED, T + 5, T + 1_000_005, "log line\n", "boom é 東京 😀", "{\"k\":[1,2]}",
                        false, A, "waldur"),
                created(3, null, null, null, null, null, null, null, null, null, null, null, State.PENDING,
                        Entry.NO_TIME, Entry.NO_TIME, null, null, null, false, null, null),
                created(4, A, "", "", "", "", "", List.of(), "", "", "", "", State.IN_PROGRESS, Entry.NO_TIME, 17,
                        "", "", "", true, null, ""),
                created(5, B, "bert \ud800", "instance.delete", "DELETE", "/api/instances/2/", "instance:2",
                        Arrays.asList("", null, "project:1"), "::1", "unknown", longAgent, "[1,2]",
                        State.CANCELED, T - 2_000_000_000L, T - 1_000_000_000L, "a\nb", "", "{}", true, B, "bert"),
                new Entry.StateChanged(1, 0, State.SUCCESS.code, T + 9, T + 10, "", "{\"ok\":true}"),
                new Entry.StateChanged(2, 1, State.FAILED.code, Entry.NO_TIME, Entry.NO_TIME, null, null),
                new Entry.LogAppended(1, 5, 5, T + 11, "step done\n"),
                new Entry.LogAppended(3, Entry.NO_POSITION, Entry.NO_POSITION, Entry.NO_TIME, null));
    }

    static Entry.Created created(long id, UUID uuid, String user, String action, String method, String path,
                                 String object, List<String> parents, String ip, String location, String userAgent,
                                 String body, State state, long start, long end, String logs, String error,
                                 String metadata, boolean userAction, UUID retryOf, String recordedBy) {
        return new Entry.Created(id, new ActionData(uuid, user, action, method, path, object, parents, ip, location,
                userAgent, body, start, userAction, retryOf, recordedBy), state.code, end, logs, error, metadata);
    }

    static List<String> encoded() {
        ValueTable values = new ValueTable();
        List<String> hex = new ArrayList<>();
        for (Entry e : entries()) {
            EncodeBuffer out = new EncodeBuffer(64);
            int n = EntryCodec.encode(e, out, values);
            hex.add(HexFormat.of().formatHex(out.array(), 0, n).replace(LONG_HEX, LONG_RUN));
        }
        return hex;
    }

    @Test
    void newEntriesAreWrittenByteForByteAsBefore() {
        assertEquals(GOLDEN, encoded());
    }

    @Test
    void recordedBytesReadBackAsTheSameEntries() {
        ValueTable values = new ValueTable();
        List<Entry> expected = entries();
        for (int i = 0; i < GOLDEN.size(); i++) {
            byte[] bytes = bytes(GOLDEN.get(i));
            Entry decoded = EntryCodec.decode(bytes, 0, bytes.length, values);
            assertEquals(withoutLoneSurrogates(expected.get(i)), decoded, "entry " + i);
        }
    }

    @Test
    void recordedBytesScanToTheSameTexts() {
        ValueTable values = new ValueTable();
        for (String hex : GOLDEN) {
            byte[] bytes = bytes(hex);
            Entry decoded = EntryCodec.decode(bytes, 0, bytes.length, values);
            if (!(decoded instanceof Entry.Created c)) {
                continue;
            }
            CreatedBytes scanned = new CreatedBytes();
            ActionData d = c.data();
            // A read learns nothing: it follows a replay, which learned the numbers this entry defines.
            EntryCodec.scanCreated(bytes, 0, bytes.length, values, scanned);
            assertEquals(Arrays.asList(d.user(), d.action(), d.method(), d.path(), d.object(), d.ip(), d.location(),
                    d.userAgent(), d.body(), d.recordedBy(), c.error(), c.metadata()), Arrays.asList(
                    text(scanned, ActionField.USER), text(scanned, ActionField.ACTION),
                    text(scanned, ActionField.METHOD), text(scanned, ActionField.PATH),
                    text(scanned, ActionField.OBJECT), text(scanned, ActionField.IP),
                    text(scanned, ActionField.LOCATION), text(scanned, ActionField.USER_AGENT),
                    text(scanned, ActionField.BODY), text(scanned, ActionField.RECORDED_BY),
                    text(scanned, ActionField.ERROR), text(scanned, ActionField.METADATA)));
            List<String> parents = new ArrayList<>();
            for (int i = 0; i < scanned.parentCount(); i++) {
                parents.add(scanned.parentArray(i) == null ? null : new String(scanned.parentArray(i),
                        scanned.parentOffset(i), scanned.parentLength(i), StandardCharsets.UTF_8));
            }
            assertEquals(d.parents() == null ? List.of() : d.parents(), parents);
            assertEquals(d.parents() == null ? -1 : d.parents().size(), scanned.parentCount());
            assertEquals(List.of(c.id(), d.uuid() != null, d.uuid() == null ? 0L : d.uuid().getMostSignificantBits(),
                    d.uuid() == null ? 0L : d.uuid().getLeastSignificantBits(), d.startDate(), d.userAction(),
                    d.retryOf() != null, d.retryOf() == null ? 0L : d.retryOf().getMostSignificantBits(),
                    d.retryOf() == null ? 0L : d.retryOf().getLeastSignificantBits()),
                    List.of(scanned.id(), scanned.hasUuid(), scanned.hasUuid() ? scanned.uuidHigh() : 0L,
                            scanned.hasUuid() ? scanned.uuidLow() : 0L, scanned.startDate(), scanned.userAction(),
                            scanned.hasRetryOf(), scanned.hasRetryOf() ? scanned.retryOfHigh() : 0L,
                            scanned.hasRetryOf() ? scanned.retryOfLow() : 0L));
        }
    }

    /** The encoder writes a lone surrogate as '?', as the JDK does; the entry reads back with that. */
    private static Entry withoutLoneSurrogates(Entry e) {
        if (e instanceof Entry.Created c && c.data().user() != null && c.data().user().contains("\ud800")) {
            ActionData d = c.data();
            return new Entry.Created(c.id(), new ActionData(d.uuid(), d.user().replace('\ud800', '?'), d.action(),
                    d.method(), d.path(), d.object(), d.parents(), d.ip(), d.location(), d.userAgent(), d.body(),
                    d.startDate(), d.userAction(), d.retryOf(), d.recordedBy()), c.state(), c.endDate(), c.logs(),
                    c.error(), c.metadata());
        }
        return e;
    }

    private static String text(CreatedBytes c, ActionField field) {
        return c.array(field) == null ? null
                : new String(c.array(field), c.offset(field), c.length(field), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String golden) {
        return HexFormat.of().parseHex(golden.replace(LONG_RUN, LONG_HEX));
    }

    /** The 512 'x' of the long user agent, shortened in the recorded bytes below. */
    private static final String LONG_RUN = "<x512>";
    private static final String LONG_HEX = "78".repeat(ValueTable.MAX_LENGTH);

    /** Recorded from the encoder of format 2 as it stood before the field list was introduced. */
    static final List<String> GOLDEN = List.of(
            "02010b020123456789abcdeffedcba9876543210020006616c696365020010696e7374616e63652e63726561746502000550"
                    + "4f5354102f6170692f696e7374616e6365732f02000b696e7374616e63653a310202000a70726f6a6563743a3102000b3139"
                    + "322e302e322e313702000c54616c6c696e6e2c204545020015707974686f6e2d72657175657374732f322e3331087b226122"
                    + "3a317d0080e986ee87ea0c0101037b7d02000777616c647572777ed248",
            "02011e04ffffffffffffffff0000000000000001030303102f6170692f696e7374616e6365732f02010b696e7374616e6365"
                    + "3a32040302010b637573746f6d65723a370303030187046167656e742f<x512>01058ae986ee87ea0c80897a0a6c6f67206c"
                    + "696e650a14626f6f6d20c3a920e69db1e4baac20f09f98800c7b226b223a5b312c325d7d0123456789abcdeffedcba987654"
                    + "321003ca0d8522",
            "02010006000000000000000000000000000000af4390ea",
            "020113080123456789abcdeffedcba9876543210020101020101020101010202010102010102010102010101012201010102"
                    + "0101b94be7cc",
            "02011f0affffffffffffffff0000000000000001010762657274203f020210696e7374616e63652e64656c65746502020744"
                    + "454c455445122f6170692f696e7374616e6365732f322f040402020100030202043a3a31020208756e6b6e6f776e01870461"
                    + "67656e742f<x512>065b312c325d038099dafaf8e90c80a8d6b90704610a6201037b7dffffffffffffffff00000000000000"
                    + "010202056265727436f3c274",
            "02020302000492e986ee87ea0c02010c7b226f6b223a747275657dc806d04d",
            "020200040205000001baebaa",
            "020301020a0a96e986ee87ea0c0b7374657020646f6e650a94b947e4",
            "020300060101005ce0222d");
}
