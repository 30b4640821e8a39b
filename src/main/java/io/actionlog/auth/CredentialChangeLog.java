package io.actionlog.auth;

import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code credential-changes.ndjson} in the data directory, mode 0600: the credential changes a server has not yet
 * recorded in its journal. The first line names the log and how far it was recorded,
 * {@code {"log":<uuid>,"recorded":<seq>}}; each further line is one change,
 * {@code {"seq":7,"time":<ISO 8601>,"op":"add|rotate|remove","name":…,"role":…,"previous_role":…,"by":"cli",
 * "uuid":<the uuid it is recorded under>}} (no uuid in a line written before it was kept: see
 * {@link CredentialChange#earlierUuid}),
 * with sequence numbers that only grow, across trims too. Never a key nor a key's hash.
 *
 * <p>Only {@link CredentialStore} calls it. {@link #append} and {@link #trimThrough} must run under the credential
 * file lock; both replace the whole file atomically, so {@link #read} needs no lock and never sees half a line.
 * The log's random identity goes into each change's uuid, so a data directory whose log was lost or started over
 * never reuses an earlier change's uuid.
 */
final class CredentialChangeLog {
    static final String FILE = "credential-changes.ndjson";

    /** What the file holds; {@code log} is null while there is no file. */
    record Read(UUID log, long recorded, List<CredentialChange> pending) {
        long lastSeq() {
            return pending.isEmpty() ? recorded : pending.get(pending.size() - 1).seq();
        }
    }

    private final Path file;
    /** The file as it stood when everything in it was last recorded; null before the first recording. */
    private CredentialFile.Stamp recorded;

    CredentialChangeLog(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Null while there is no file; a new stamp after every replacement. */
    CredentialFile.Stamp stamp() throws IOException {
        try {
            return CredentialFile.stampOf(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    Read read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Read(null, 0, List.of());
        } catch (CharacterCodingException e) { // the JDK's exception names no file ("Input length = 1")
            throw corrupt("it is not UTF-8 text");
        }
        if (lines.isEmpty()) {
            throw corrupt("it is empty");
        }
        try {
            JsonObject head = new JsonObject(lines.get(0));
            UUID log = UUID.fromString(head.getString("log"));
            long recorded = head.getLong("recorded");
            List<CredentialChange> pending = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (!lines.get(i).isBlank()) {
                    pending.add(decode(log, new JsonObject(lines.get(i))));
                }
            }
            return new Read(log, recorded, List.copyOf(pending));
        } catch (RuntimeException e) {
            throw corrupt(e.getMessage());
        }
    }

    /**
     * Hands the changes not yet recorded to {@code recorder} and trims them, under the lock of {@code credentials},
     * once it returns. Cheap when the file has not changed since it was last recorded (one stat). Called by one
     * thread at a time (the store's monitor).
     */
    void recordPending(CredentialStore.Recorder recorder, CredentialFile credentials) throws IOException {
        CredentialFile.Stamp stamp = stamp();
        if (stamp == null || stamp.equals(recorded)) {
            return;
        }
        List<CredentialChange> pending = read().pending();
        if (!pending.isEmpty()) {
            recorder.record(pending);
            long last = pending.get(pending.size() - 1).seq();
            stamp = credentials.locked(() -> {
                trimThrough(last);
                return stamp();
            });
        }
        recorded = stamp;
    }

    /** Adds one change with the next sequence number; under the credential file lock. */
    void append(CredentialChange.Op op, String name, Role role, Role previousRole, String by) throws IOException {
        Read now = read();
        UUID log = now.log() == null ? UUID.randomUUID() : now.log();
        List<CredentialChange> all = new ArrayList<>(now.pending());
        all.add(new CredentialChange(log, now.lastSeq() + 1, Instant.now().truncatedTo(ChronoUnit.MICROS), op, name,
                role, previousRole, by, UUID.randomUUID()));
        write(log, now.recorded(), all);
    }

    /** Drops the changes up to {@code seq}, which the journal now holds; under the credential file lock. */
    void trimThrough(long seq) throws IOException {
        Read now = read();
        if (now.log() == null) {
            return;
        }
        List<CredentialChange> left = now.pending().stream().filter(c -> c.seq() > seq).toList();
        write(now.log(), Math.max(now.recorded(), seq), left);
    }

    private void write(UUID log, long recorded, List<CredentialChange> changes) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(new JsonObject().put("log", log.toString()).put("recorded", recorded).encode()).append('\n');
        for (CredentialChange c : changes) {
            text.append(encode(c).encode()).append('\n');
        }
        AtomicFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
    }

    private static JsonObject encode(CredentialChange c) {
        JsonObject line = new JsonObject().put("seq", c.seq()).put("time", c.time().toString())
                .put("op", c.op().label()).put("name", c.name()).put("role", c.role().label());
        if (c.previousRole() != null) {
            line.put("previous_role", c.previousRole().label());
        }
        return line.put("by", c.by()).put("uuid", c.uuid().toString());
    }

    private static CredentialChange decode(UUID log, JsonObject line) {
        String previous = line.getString("previous_role");
        long seq = line.getLong("seq");
        String uuid = line.getString("uuid");
        return new CredentialChange(log, seq, Instant.parse(line.getString("time")),
                CredentialChange.Op.parse(line.getString("op")), Credential.checkName(line.getString("name")),
                Role.parse(line.getString("role")), previous == null ? null : Role.parse(previous),
                line.getString("by"), uuid == null ? CredentialChange.earlierUuid(log, seq) : UUID.fromString(uuid));
    }

    private IOException corrupt(String why) {
        return new IOException("credential change log " + file + " is corrupt: " + why
                + "; the changes it holds are not recorded until it is fixed by hand");
    }
}
