package io.actionlog.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one retention run did: how many actions expired and how many were carried forward, the day files dropped
 * and their bytes, and the journal positions {@code [droppedFrom, journalStart)} that went with them (none when
 * the two are equal).
 */
public record RetentionReport(String trigger, String policy, long expired, int carried, List<String> files,
                              long bytes, long droppedFrom, long journalStart, long millis) {

    static RetentionReport nothing(String trigger, String policy, long journalStart) {
        return new RetentionReport(trigger, policy, 0, 0, List.of(), 0, journalStart, journalStart, 0);
    }

    public JsonObject json() {
        return new JsonObject().put("trigger", trigger).put("policy", policy).put("expired", expired)
                .put("carried_forward", carried)
                .put("dropped", new JsonObject().put("files", new JsonArray(List.copyOf(files))).put("bytes", bytes)
                        .put("from_position", droppedFrom).put("to_position", journalStart))
                .put("journal_start", journalStart).put("millis", millis);
    }

    String summary() {
        return expired + " action(s) expired, " + carried + " carried forward, " + files.size() + " file(s) dropped ("
                + bytes + " bytes, positions " + droppedFrom + " to " + journalStart + "), in " + millis + " ms";
    }
}
