package io.actionlog.journal;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;

import java.util.List;
import java.util.UUID;

/** Entries for tests: realistic values, deterministic per id. */
final class Entries {

    static final long T0 = 1_763_900_000_000_000L; // 2025-11-23, microseconds

    private Entries() {
    }

    /**
     * A typical action as a platform records it: about 500 bytes as API JSON ({@link #json}: field names, quoted
     * uuid and dates included), of which 147 bytes are the values of its string fields.
     */
    static Entry.Created typical(long id) {
        return new Entry.Created(id, new ActionData(uuid(id), "alice.tamm", "instance.create", "POST",
                "/api/instances/", "instance:" + uuid(id + 7).toString().substring(0, 8), List.of("project:3c59dc04"),
                "192.0.2.17", "Tallinn, EE", "python-requests/2.31", "{\"flavor\":\"m1.small\"}", T0 + id * 1_000, true,
                null, "waldur"), State.PENDING.code, Entry.NO_TIME, "", null, "{}");
    }

    /** A larger action: about 600 bytes as JSON, 242 bytes of string values. */
    static Entry.Created large(long id) {
        return new Entry.Created(id, new ActionData(uuid(id), "alice.tamm@example.org", "openstack.instance.create",
                "POST", "/api/openstack-instances/", "openstack.instance:" + uuid(id + 7).toString().substring(0, 8),
                List.of("project:3c59dc04", "customer:a87ff679"), "192.0.2.17", "Tallinn, EE", "python-requests/2.31.0",
                "{\"flavor\":\"m1.small\",\"image\":\"ubuntu-22.04\"}", T0 + id * 1_000, true, null,
                "waldur-mastermind"), State.PENDING.code, Entry.NO_TIME, "", null, "{}");
    }

    /** Roughly the JSON an API shows for an action, to relate its size to the bytes on disk. */
    static String json(Entry.Created c) {
        ActionData d = c.data();
        StringBuilder parents = new StringBuilder();
        for (String p : d.parents()) {
            parents.append(parents.length() == 0 ? "" : ",").append(quote(p));
        }
        return "{\"id\":" + c.id() + ",\"uuid\":\"" + d.uuid() + "\",\"user\":" + quote(d.user())
                + ",\"action\":" + quote(d.action()) + ",\"method\":" + quote(d.method()) + ",\"path\":"
                + quote(d.path()) + ",\"object\":" + quote(d.object()) + ",\"parents\":[" + parents + "],\"ip\":"
                + quote(d.ip()) + ",\"location\":" + quote(d.location()) + ",\"user_agent\":" + quote(d.userAgent())
                + ",\"body\":" + quote(d.body()) + ",\"state\":\"Pending\",\"start_date\":"
                + "\"2025-11-23T12:13:20.000000Z\",\"end_date\":null,\"logs\":" + quote(c.logs()) + ",\"error\":"
                + quote(c.error()) + ",\"metadata\":" + c.metadata() + ",\"user_action\":" + d.userAction()
                + ",\"retry_of\":null,\"recorded_by\":" + quote(d.recordedBy()) + "}";
    }

    /** The UTF-8 bytes of an action's string fields (parents included): what no codec can avoid storing. */
    static int stringBytes(Entry.Created c) {
        ActionData d = c.data();
        int n = 0;
        for (String s : new String[]{d.user(), d.action(), d.method(), d.path(), d.object(), d.ip(), d.location(),
                d.userAgent(), d.body(), c.logs(), c.error(), c.metadata(), d.recordedBy()}) {
            n += s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        for (String p : d.parents()) {
            n += p.length();
        }
        return n;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static Entry.StateChanged stateChanged(long id, long previous) {
        return new Entry.StateChanged(id, previous, State.SUCCESS.code, T0 + id * 1_000 + 5, T0 + id * 1_000 + 900,
                null, "{\"ok\":true}");
    }

    static Entry.LogAppended logAppended(long id, long previous) {
        return new Entry.LogAppended(id, previous, Entry.NO_POSITION, T0 + id * 1_000 + 7, "step " + id + " done\n");
    }

    /** A mix of all three kinds, so that position p holds a recognisable entry for id p + 1. */
    static Entry mixed(long position) {
        long id = position + 1;
        return switch ((int) (position % 3)) {
            case 0 -> typical(id);
            case 1 -> stateChanged(id, position - 1);
            default -> logAppended(id, position - 2);
        };
    }

    /** Appends entries made for positions size()..size()+count-1, in batches of 1000. */
    static void appendInBatches(Journal journal, int count, java.util.function.LongFunction<Entry> entry) {
        List<Entry> batch = new java.util.ArrayList<>(1000);
        long start = journal.size();
        for (long p = start; p < start + count; p++) {
            batch.add(entry.apply(p));
            if (batch.size() == 1000) {
                journal.append(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            journal.append(batch);
        }
    }

    static UUID uuid(long id) {
        return new UUID(0x5EED_0000_0000_0000L ^ id * 0x9E3779B97F4A7C15L, id);
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
