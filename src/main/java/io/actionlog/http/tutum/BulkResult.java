package io.actionlog.http.tutum;

import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.store.ActionStore;
import it.unimi.dsi.fastutil.ints.IntList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts and per-line errors of one bulk request; only the first errors by line number are listed, all are counted.
 * Refusals arrive out of line order (a batch's unreadable lines before its conflicts, an overlong line as soon as it
 * is cut), so the kept ones are those of the lowest numbers so far, not the first to arrive.
 */
final class BulkResult {
    record Refused(int line, String error) {
    }

    private final int shown;
    /** The refusals kept, the highest line number at the head. */
    private final PriorityQueue<Refused> refused =
            new PriorityQueue<>(Comparator.comparingInt(Refused::line).reversed());
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
        } else if (shown > 0 && line < refused.peek().line()) {
            refused.poll();
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
        List<Refused> listed = new ArrayList<>(refused);
        listed.sort(Comparator.comparingInt(Refused::line));
        g.writeStartObject();
        g.writeNumberField("lines", lines);
        g.writeNumberField("accepted", accepted);
        g.writeNumberField("created", created);
        g.writeNumberField("rejected", rejected);
        if (stoppedBecause != null) {
            g.writeStringField("error", stoppedBecause + "; lines after the limit were not read");
        }
        g.writeArrayFieldStart("errors");
        for (Refused r : listed) {
            g.writeStartObject();
            g.writeNumberField("line", r.line());
            g.writeStringField("error", r.error());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
