package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The leaf bytes, the public contract of the tree (README, "Tamper evidence"), pinned byte for byte. */
class LeafBytesTest {
    private static final UUID UUID_1 = UUID.fromString("1ce1d2d4-a7b9-4533-ba92-c45d1eadc56d");
    private static final long JAN_1_2026 = 1_767_225_600_000_000L;

    private static String leaf(Entry e) {
        return new String(new LeafBytes().of(e, UUID_1), StandardCharsets.UTF_8);
    }

    @Test
    void aCreatedEntryHasEveryRecordedFieldSortedWithMicrosecondDates() {
        ActionData d = new ActionData(UUID_1, "alice", "Create VM", "POST", "/api/vm/", "/api/vm/1/",
                List.of("/api/project/7/"), "10.0.0.1", "Oslo, NO", "curl/8", "{\"size\":2}", JAN_1_2026 + 5,
                true, null, "rec");
        Entry.Created c = new Entry.Created(3, d, State.PENDING.code, Entry.NO_TIME, "", "", "{\"b\":[1,{\"d\":null,\"c\":true}],\"a\":\"x\"}");
        assertEquals("{\"action\":\"Create VM\",\"body\":\"{\\\"size\\\":2}\",\"end_date\":null,\"error\":\"\",\"id\":3,"
                + "\"ip\":\"10.0.0.1\",\"is_user_action\":true,\"location\":\"Oslo, NO\",\"logs\":\"\","
                + "\"metadata\":{\"a\":\"x\",\"b\":[1,{\"c\":true,\"d\":null}]},\"method\":\"POST\","
                + "\"object\":\"/api/vm/1/\",\"parents\":[\"/api/project/7/\"],\"path\":\"/api/vm/\","
                + "\"recorded_by\":\"rec\",\"retry_of\":null,\"start_date\":\"2026-01-01T00:00:00.000005Z\","
                + "\"state\":\"Pending\",\"type\":\"created\",\"user\":\"alice\",\"user_agent\":\"curl/8\","
                + "\"uuid\":\"1ce1d2d4-a7b9-4533-ba92-c45d1eadc56d\"}", leaf(c));
    }

    @Test
    void stateAndLogEntriesCarryTheirActionsUuidAndId() {
        Entry.StateChanged s = new Entry.StateChanged(3, 0, State.SUCCESS.code, JAN_1_2026 + 60_000_000L,
                JAN_1_2026 + 59_999_999L, "", "{}");
        assertEquals("{\"at\":\"2026-01-01T00:01:00.000000Z\",\"end_date\":\"2026-01-01T00:00:59.999999Z\",\"error\":\"\","
                + "\"id\":3,\"metadata\":{},\"state\":\"Success\",\"type\":\"state\","
                + "\"uuid\":\"1ce1d2d4-a7b9-4533-ba92-c45d1eadc56d\"}", leaf(s));
        Entry.LogAppended l = new Entry.LogAppended(3, 1, 1, 0, "booting\n");
        assertEquals("{\"at\":\"1970-01-01T00:00:00.000000Z\",\"id\":3,\"logs\":\"booting\\n\",\"type\":\"log\","
                + "\"uuid\":\"1ce1d2d4-a7b9-4533-ba92-c45d1eadc56d\"}", leaf(l));
    }

    @Test
    void stringsAndNamesAreWrittenAsRfc8785Does() {
        // Names sort by UTF-16 code units: U+1F600 (D83D DE00) before U+FB33, though its code point is larger.
        String metadata = "{\"\uFB33\":1,\"\uD83D\uDE00\":2,\"\u20ac\":3,\"esc\":\"\\u001f\\u007f</\\u2028\\\"\\\\\\b\\f\\n\\r\\t\"}";
        Entry.StateChanged s = new Entry.StateChanged(1, 0, State.FAILED.code, -1, Entry.NO_TIME, "é", metadata);
        assertEquals("{\"at\":\"1969-12-31T23:59:59.999999Z\",\"end_date\":null,\"error\":\"é\",\"id\":1,"
                + "\"metadata\":{\"esc\":\"\\u001f\u007f</\u2028\\\"\\\\\\b\\f\\n\\r\\t\",\"\u20ac\":3,"
                + "\"\uD83D\uDE00\":2,\"\uFB33\":1},\"state\":\"Failed\",\"type\":\"state\","
                + "\"uuid\":\"1ce1d2d4-a7b9-4533-ba92-c45d1eadc56d\"}", leaf(s));
    }

    @Test
    void aLeapDayIsItsOwnDate() {
        Entry.LogAppended l = new Entry.LogAppended(2, 1, 1, 1_709_164_800_123_456L, "x");
        assertEquals("2024-02-29T00:00:00.123456Z", new io.vertx.core.json.JsonObject(leaf(l)).getString("at"));
    }

    @Test
    void aLongTextOfEscapesThenPlainCharsIsWrittenWhole() {
        String text = "\u0001".repeat(5000) + "a".repeat(5000) + "\u00e9".repeat(3000);
        Entry.LogAppended l = new Entry.LogAppended(2, 1, 1, 0, text);
        assertEquals(text, new io.vertx.core.json.JsonObject(leaf(l)).getString("logs"));
    }
}
