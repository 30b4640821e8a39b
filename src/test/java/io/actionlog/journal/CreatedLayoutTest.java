package io.actionlog.journal;

import io.actionlog.action.ActionData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.action.ActionField;
import io.actionlog.action.State;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The codec's three walks over a Created entry (encode, decode, scan for rendering) follow the field list: each
 * field is written, read back and, where lists show it, scanned, and the fields lie in the entry in the list's order.
 */
class CreatedLayoutTest {
    /** {@code c} with one field changed, to a value that keeps the field's optional parts present. */
    private static Entry.Created with(Entry.Created c, ActionField field) {
        UUID other = new UUID(42, 43);
        ActionData d = c.data();
        ActionData data = new ActionData(
                field == ActionField.UUID ? other : d.uuid(),
                field == ActionField.USER ? "other user" : d.user(),
                field == ActionField.ACTION ? "other action" : d.action(),
                field == ActionField.METHOD ? "PUT" : d.method(),
                field == ActionField.PATH ? "/other/" : d.path(),
                field == ActionField.OBJECT ? "other:1" : d.object(),
                field == ActionField.PARENTS ? List.of("project:3c59dc04", "other:2") : d.parents(),
                field == ActionField.IP ? "198.51.100.1" : d.ip(),
                field == ActionField.LOCATION ? "Tartu, EE" : d.location(),
                field == ActionField.USER_AGENT ? "curl/8" : d.userAgent(),
                field == ActionField.BODY ? "{\"other\":1}" : d.body(),
                field == ActionField.START_DATE ? d.startDate() + 1 : d.startDate(),
                field == ActionField.USER_ACTION ? !d.userAction() : d.userAction(),
                field == ActionField.RETRY_OF ? other : d.retryOf(),
                field == ActionField.RECORDED_BY ? "other recorder" : d.recordedBy());
        return new Entry.Created(
                field == ActionField.ID ? c.id() + 1 : c.id(),
                data,
                field == ActionField.STATE ? State.FAILED.code : c.state(),
                field == ActionField.END_DATE ? c.endDate() + 2 : c.endDate(),
                field == ActionField.LOGS ? "other logs" : c.logs(),
                field == ActionField.ERROR ? "other error" : c.error(),
                field == ActionField.METADATA ? "{\"other\":2}" : c.metadata());
    }

    private static Entry.Created base() {
        // Every optional part present, so that changing a value never moves a flag.
        Entry.Created c = Entries.large(7);
        ActionData d = c.data();
        ActionData data = new ActionData(d.uuid(), d.user(), d.action(), d.method(), d.path(), d.object(),
                d.parents(), d.ip(), d.location(), d.userAgent(), d.body(), d.startDate(), d.userAction(),
                new UUID(1, 2), d.recordedBy());
        return new Entry.Created(c.id(), data, c.state(), d.startDate() + 5_000, "some logs", "an error",
                c.metadata());
    }

    private static byte[] encode(Entry.Created c) {
        EncodeBuffer out = new EncodeBuffer(64);
        int n = EntryCodec.encode(c, out, new ValueTable());
        return Arrays.copyOf(out.array(), n);
    }

    @Test
    void everyFieldIsWrittenReadAndScannedOnItsOwn() {
        Entry.Created base = base();
        byte[] baseBytes = encode(base);
        for (ActionField field : ActionField.values()) {
            Entry.Created changed = with(base, field);
            byte[] bytes = encode(changed);
            assertNotEquals(Arrays.toString(baseBytes), Arrays.toString(bytes), field + " is not written");
            assertEquals(changed, EntryCodec.decode(bytes, 0, bytes.length, new ValueTable()), field + " is not read");
            CreatedBytes scanned = new CreatedBytes();
            ValueTable values = new ValueTable();
            EntryCodec.decode(bytes, 0, bytes.length, values);
            EntryCodec.scanCreated(bytes, 0, bytes.length, values, scanned);
            assertEquals(String.valueOf(shown(changed, field)), scanned(scanned, field), field + " is not scanned");
        }
    }

    @Test
    void fieldsLieInTheEntryInTheOrderOfTheFieldList() {
        Entry.Created base = base();
        byte[] baseBytes = encode(base);
        int last = 0;
        ActionField lastField = null;
        for (ActionField field : ActionField.values()) {
            if (field == ActionField.USER_ACTION) {
                continue; // the flags byte alone
            }
            int at = Arrays.mismatch(baseBytes, encode(with(base, field)));
            assertTrue(at >= last, field + " is written at byte " + at + ", before " + lastField + " at " + last);
            last = at;
            lastField = field;
        }
    }

    /** What a list row reads of the field from the scan, as text; the decoded value where the scan has none. */
    private static Object shown(Entry.Created c, ActionField field) {
        ActionData d = c.data();
        return switch (field) {
            case ID -> c.id();
            case UUID -> d.uuid();
            case USER -> d.user();
            case ACTION -> d.action();
            case METHOD -> d.method();
            case PATH -> d.path();
            case OBJECT -> d.object();
            case PARENTS -> d.parents();
            case IP -> d.ip();
            case LOCATION -> d.location();
            case USER_AGENT -> d.userAgent();
            case BODY -> d.body();
            case STATE, END_DATE -> "not scanned"; // rows take state and end date from the index
            case LOGS -> c.logs();
            case START_DATE -> d.startDate();
            case ERROR -> c.error();
            case METADATA -> c.metadata();
            case USER_ACTION -> d.userAction();
            case RETRY_OF -> d.retryOf();
            case RECORDED_BY -> d.recordedBy();
        };
    }

    private static String scanned(CreatedBytes s, ActionField field) {
        return switch (field) {
            case ID -> String.valueOf(s.id());
            case UUID -> String.valueOf(new UUID(s.uuidHigh(), s.uuidLow()));
            case PARENTS -> {
                String[] parents = new String[s.parentCount()];
                for (int i = 0; i < parents.length; i++) {
                    parents[i] = new String(s.parentArray(i), s.parentOffset(i), s.parentLength(i),
                            StandardCharsets.UTF_8);
                }
                yield Arrays.asList(parents).toString();
            }
            case STATE, END_DATE -> "not scanned";
            case START_DATE -> String.valueOf(s.startDate());
            case USER_ACTION -> String.valueOf(s.userAction());
            case RETRY_OF -> String.valueOf(new UUID(s.retryOfHigh(), s.retryOfLow()));
            case USER, ACTION, METHOD, PATH, OBJECT, IP, LOCATION, USER_AGENT, BODY, LOGS, ERROR, METADATA,
                    RECORDED_BY ->
                    new String(s.array(field), s.offset(field), s.length(field), StandardCharsets.UTF_8);
        };
    }
}
