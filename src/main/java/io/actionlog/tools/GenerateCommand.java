package io.actionlog.tools;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.action.ActionField;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import io.actionlog.store.Entries;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code generate --count N [--seed S] [--start EPOCH_SECONDS] (--out FILE | --data-dir DIR)}: writes synthetic
 * actions either as NDJSON (for the bulk endpoint) or straight into a stopped server's journal, one Created entry
 * per action, exactly what bulk ingest would have appended.
 */
public final class GenerateCommand {
    private static final long DEFAULT_START = 1_767_225_600L;

    private GenerateCommand() {
    }

    public static int run(List<String> args, Path configuredDataDir, PrintStream out, PrintStream err) {
        long count = -1;
        long seed = 1;
        long start = DEFAULT_START;
        Path file = null;
        Path dataDir = null;
        try {
            for (int i = 0; i < args.size(); i += 2) {
                String value = i + 1 < args.size() ? args.get(i + 1) : null;
                switch (args.get(i)) {
                    case "--count" -> count = Long.parseLong(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--start" -> start = Long.parseLong(value);
                    case "--out" -> file = Path.of(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
        } catch (RuntimeException e) {
            err.println("usage: generate --count N [--seed S] [--start EPOCH_SECONDS] (--out FILE | --data-dir DIR): "
                    + e.getMessage());
            return 2;
        }
        if (count < 0 || (file != null && dataDir != null)) {
            err.println("usage: generate --count N [--seed S] [--start EPOCH_SECONDS] (--out FILE | --data-dir DIR)");
            return 2;
        }
        SyntheticActions actions = new SyntheticActions(seed, count, start * 1_000_000L);
        long t0 = System.nanoTime();
        try {
            if (file != null) {
                writeNdjson(actions, file);
            } else {
                appendToJournal(actions, dataDir != null ? dataDir : configuredDataDir);
            }
        } catch (IOException | RuntimeException e) {
            err.println("generate: " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("generated %d actions in %.1f s (%.0f actions/s)%n", count, seconds, count / Math.max(seconds, 1e-9));
        return 0;
    }

    static void writeNdjson(SyntheticActions actions, Path file) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
             JsonGenerator g = factory.createGenerator(os, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            while (actions.hasNext()) {
                write(g, actions.next());
            }
            g.writeRaw('\n');
        }
    }

    /** One NDJSON line: every field a recorder may give, in journal order, but those left at their default. */
    private static void write(JsonGenerator g, NewAction a) throws IOException {
        g.writeStartObject();
        for (ActionField field : ActionField.values()) {
            if (field.writable()) {
                write(g, field, a);
            }
        }
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, ActionField field, NewAction a) throws IOException {
        switch (field) {
            case ID, RETRY_OF, RECORDED_BY -> throw new IllegalArgumentException(field + " is the server's to set");
            case UUID -> g.writeStringField(field.apiName(), a.uuid().toString());
            case USER -> g.writeStringField(field.apiName(), a.user());
            case ACTION -> g.writeStringField(field.apiName(), a.action());
            case METHOD -> g.writeStringField(field.apiName(), a.method());
            case PATH -> g.writeStringField(field.apiName(), a.path());
            case OBJECT -> g.writeStringField(field.apiName(), a.object());
            case PARENTS -> {
                g.writeArrayFieldStart(field.apiName());
                for (String p : a.parents()) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            case IP -> g.writeStringField(field.apiName(), a.ip());
            case LOCATION -> g.writeStringField(field.apiName(), a.location());
            case USER_AGENT -> g.writeStringField(field.apiName(), a.userAgent());
            case BODY -> g.writeStringField(field.apiName(), a.body());
            case STATE -> g.writeStringField(field.apiName(), a.state().label);
            case START_DATE -> g.writeStringField(field.apiName(), Dates.rfc3339(a.startDate()));
            case END_DATE -> {
                if (a.endDate() != Long.MIN_VALUE) {
                    g.writeStringField(field.apiName(), Dates.rfc3339(a.endDate()));
                }
            }
            case LOGS -> {
                if (!a.logs().isEmpty()) {
                    g.writeStringField(field.apiName(), a.logs());
                }
            }
            case ERROR -> g.writeStringField(field.apiName(), a.error());
            case METADATA -> {
                g.writeFieldName(field.apiName());
                g.writeRawValue(a.metadata());
            }
            case USER_ACTION -> g.writeBooleanField(field.apiName(), a.userAction());
        }
    }

    static void appendToJournal(SyntheticActions actions, Path dataDir) throws IOException {
        try (DataDir claimed = DataDir.claim(dataDir);
             Journal journal = ChronicleJournal.open(dataDir.resolve("journal"), Durability.PROCESS)) {
            long[] nextId = {1};
            journal.replay(0, (position, entry) -> {
                if (entry instanceof Entry.Created) {
                    nextId[0]++;
                }
            });
            List<Entry> batch = new ArrayList<>(4096);
            while (actions.hasNext()) {
                batch.add(Entries.created(nextId[0]++, actions.next()));
                if (batch.size() == 4096 || !actions.hasNext()) {
                    journal.append(batch);
                    batch.clear();
                }
            }
        }
    }
}
