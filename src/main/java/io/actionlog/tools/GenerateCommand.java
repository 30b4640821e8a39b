package io.actionlog.tools;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.actionlog.action.ActionData;
import io.actionlog.action.ActionField;
import io.actionlog.action.Dates;
import io.actionlog.action.NewAction;
import io.actionlog.config.ConfigOptions;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.server.DataDir;
import io.actionlog.store.Entries;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate --count N [--seed S] [--start EPOCH_SECONDS] (--out FILE | [--data-dir DIR] [--create])}: writes
 * synthetic actions either as NDJSON (for the bulk endpoint) or straight into a stopped server's journal, one
 * Created entry per action, exactly what bulk ingest would have appended. A data directory without a journal is
 * an error unless {@code --create} asks for a fresh one.
 */
@Command(name = "generate", description = "Write deterministic synthetic actions as NDJSON, or append them to a "
        + "stopped server's journal.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", required = true, description = "how many actions")
    private long count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "the same seed gives the same actions (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--start", paramLabel = "EPOCH_SECONDS", defaultValue = "1767225600",
            description = "start date of the first action (default: ${DEFAULT-VALUE}, 2026-01-01T00:00Z)")
    private long start;

    @Option(names = "--out", paramLabel = "FILE", description = "write NDJSON to this file instead of a journal")
    private Path out;

    @Option(names = "--create", description = "create the data directory when it has no journal yet")
    private boolean create;

    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() throws IOException {
        if (count < 0) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 0");
        }
        // The actions' dates must be ones a recorder could send (years 1 to 9999), and start * 1,000,000 must not
        // overflow: a day of margin each side covers the start's jitter and the 30 days the actions span.
        long lowest = Dates.MIN_SECONDS + 86_400;
        long highest = Dates.MAX_SECONDS - (SyntheticActions.DAYS + 1) * 86_400;
        if (start < lowest || start > highest) {
            throw new ParameterException(spec.commandLine(), "--start " + start + " is out of range: expected epoch "
                    + "seconds from " + lowest + " to " + highest);
        }
        if (out != null && (options.dataDirGiven() || options.configGiven() || create)) {
            throw new ParameterException(spec.commandLine(), "--out writes a file: it takes no --data-dir, --config "
                    + "or --create");
        }
        SyntheticActions actions = new SyntheticActions(seed, count, start * 1_000_000L);
        long t0 = System.nanoTime();
        if (out != null) {
            writeNdjson(actions, out);
        } else {
            Path dataDir = options.loadOffline().dataDir();
            DataDir.requireEnterable(dataDir);
            if (!create && !Files.isDirectory(dataDir.resolve("journal"))) {
                throw new IllegalStateException("no journal in " + dataDir + ": give --data-dir or --config, or "
                        + "pass --create to start a fresh data directory");
            }
            appendToJournal(actions, dataDir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT, "generated %d actions in %.1f s (%.0f actions/s)%n", count,
                seconds, count / Math.max(seconds, 1e-9));
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
        ActionData d = a.data();
        switch (field) {
            case ID, RETRY_OF, RECORDED_BY -> throw new IllegalArgumentException(field + " is the server's to set");
            case UUID -> g.writeStringField(field.apiName(), d.uuid().toString());
            case USER -> g.writeStringField(field.apiName(), d.user());
            case ACTION -> g.writeStringField(field.apiName(), d.action());
            case METHOD -> g.writeStringField(field.apiName(), d.method());
            case PATH -> g.writeStringField(field.apiName(), d.path());
            case OBJECT -> g.writeStringField(field.apiName(), d.object());
            case PARENTS -> {
                g.writeArrayFieldStart(field.apiName());
                for (String p : d.parents()) {
                    g.writeString(p);
                }
                g.writeEndArray();
            }
            case IP -> g.writeStringField(field.apiName(), d.ip());
            case LOCATION -> g.writeStringField(field.apiName(), d.location());
            case USER_AGENT -> g.writeStringField(field.apiName(), d.userAgent());
            case BODY -> g.writeStringField(field.apiName(), d.body());
            case STATE -> g.writeStringField(field.apiName(), a.state().label);
            case START_DATE -> g.writeStringField(field.apiName(), Dates.rfc3339(d.startDate()));
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
            case USER_ACTION -> g.writeBooleanField(field.apiName(), d.userAction());
        }
    }

    static void appendToJournal(SyntheticActions actions, Path dataDir) throws IOException {
        try (DataDir claimed = DataDir.claim(dataDir);
             Journal journal = ChronicleJournal.open(dataDir.resolve("journal"), Durability.PROCESS)) {
            long[] nextId = {1};
            journal.replay(0, (position, entry) -> {
                if (entry instanceof Entry.Created c) {
                    nextId[0] = Math.max(nextId[0], c.id() + 1);
                } else if (entry instanceof Entry.Dropped d) {
                    nextId[0] = Math.max(nextId[0], d.highestId() + 1);
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
