package io.actionlog.integrity;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.journal.Entry;
import java.util.UUID;

/**
 * The leaf bytes of a journal entry: the public contract of the tree (README, "Tamper evidence"). One JSON object
 * in RFC 8785 canonical form with {@code type} ({@code created}, {@code state}, {@code log}), the action's
 * {@code uuid} and {@code id}, and the entry's fields under their names in the Tutum detail view; dates are RFC 3339
 * in UTC with six fraction digits. The members below are written in the sorted order JCS asks for, by hand, since
 * this runs for every entry the writer appends and for every entry {@code verify} reads.
 *
 * <p>Not thread-safe: one instance per thread. Entries must carry their texts (not {@link Entry#TEXT_LEFT_OUT}).
 */
public final class LeafBytes {
    private final CanonicalJson out = new CanonicalJson();

    /** The leaf bytes of {@code entry}, which belongs to the action with this uuid. */
    public byte[] of(Entry entry, UUID uuid) {
        out.reset();
        if (entry instanceof Entry.Created c) {
            created(c);
        } else if (entry instanceof Entry.StateChanged s) {
            state(s, uuid);
        } else {
            log((Entry.LogAppended) entry, uuid);
        }
        return out.toBytes();
    }

    private void created(Entry.Created c) {
        ActionData d = c.data();
        out.raw("{").key("action", true).string(d.action())
                .key("body", false).string(d.body())
                .key("end_date", false).date(c.endDate(), Entry.NO_TIME)
                .key("error", false).string(c.error())
                .key("id", false).number(c.id())
                .key("ip", false).string(d.ip())
                .key("is_user_action", false).bool(d.userAction())
                .key("location", false).string(d.location())
                .key("logs", false).string(c.logs())
                .key("metadata", false).json(c.metadata())
                .key("method", false).string(d.method())
                .key("object", false).string(d.object())
                .key("parents", false).raw("[");
        for (int i = 0; i < d.parents().size(); i++) {
            out.raw(i == 0 ? "" : ",").string(d.parents().get(i));
        }
        out.raw("]").key("path", false).string(d.path())
                .key("recorded_by", false).string(d.recordedBy())
                .key("retry_of", false).string(d.retryOf() == null ? null : d.retryOf().toString())
                .key("start_date", false).date(d.startDate(), Entry.NO_TIME)
                .key("state", false).string(State.ofCode(c.state()).label)
                .key("type", false).string("created")
                .key("user", false).string(d.user())
                .key("user_agent", false).string(d.userAgent())
                .key("uuid", false).string(d.uuid() == null ? null : d.uuid().toString()).raw("}");
    }

    private void state(Entry.StateChanged s, UUID uuid) {
        out.raw("{").key("at", true).date(s.at(), Entry.NO_TIME)
                .key("end_date", false).date(s.endDate(), Entry.NO_TIME)
                .key("error", false).string(s.error())
                .key("id", false).number(s.id())
                .key("metadata", false).json(s.metadata())
                .key("state", false).string(State.ofCode(s.state()).label)
                .key("type", false).string("state")
                .key("uuid", false).string(uuid == null ? null : uuid.toString()).raw("}");
    }

    private void log(Entry.LogAppended l, UUID uuid) {
        out.raw("{").key("at", true).date(l.at(), Entry.NO_TIME)
                .key("id", false).number(l.id())
                .key("logs", false).string(l.text())
                .key("type", false).string("log")
                .key("uuid", false).string(uuid == null ? null : uuid.toString()).raw("}");
    }
}
