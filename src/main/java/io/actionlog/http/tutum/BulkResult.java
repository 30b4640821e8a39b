package io.actionlog.http.tutum;

import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.store.ActionStore;
import it.unimi.dsi.fastutil.ints.IntList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Counts and per-line errors of one bulk request; only the first errors are listed, all are counted. */
final class BulkResult {
    record Refused(int line, String error) {
    }

    private final int shown;
    private final List<Refused> refused = new ArrayList<>();
    private int accepted;
    private int created;
    private int rejected;

    BulkResult(int shown) {
        this.shown = shown;
    }

    void refuse(int line, String error) {
        rejected++;
        if (refused.size() < shown) {
            refused.add(new Refused(line, error));
        }
    }

    void add(IntList lines, List<Object> outcomes) {
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof ActionStore.Recorded r) {
                accepted++;
                created += r.created() ? 1 : 0;
            } else {
                refuse(lines.getInt(i), ((Exception) outcomes.get(i)).getMessage());
            }
        }
    }

    void write(JsonGenerator g, int lines, String stoppedBecause) throws IOException {
        refused.sort(Comparator.comparingInt(Refused::line));
        g.writeStartObject();
        g.writeNumberField("lines", lines);
        g.writeNumberField("accepted", accepted);
        g.writeNumberField("created", created);
        g.writeNumberField("rejected", rejected);
        if (stoppedBecause != null) {
            g.writeStringField("error", stoppedBecause + "; lines after the limit were not read");
        }
        g.writeArrayFieldStart("errors");
        for (Refused r : refused) {
            g.writeStartObject();
            g.writeNumberField("line", r.line());
            g.writeStringField("error", r.error());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
