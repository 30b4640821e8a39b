package io.actionlog.auth;

import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The credential files in the data directory; the only code that reads or writes them.
 * <ul>
 * <li>{@code credentials.json}, mode 0600:
 * {@code {"version":1,"credentials":[{"name":…,"role":"user","key_sha256":<64 hex>,"created":<ISO 8601>}]}}.
 * It is only ever replaced by renaming a complete, fsynced temporary file over it, so a reader never needs a lock
 * and never sees half a file.</li>
 * <li>{@code credentials.lock}: empty. Every writer, server or command line, holds an exclusive lock on it from
 * reading the file to renaming the new one, so concurrent changes are serialised rather than lost.</li>
 * <li>{@code admin.key}, mode 0600: the bootstrap admin key and a newline, written once, never rewritten; deleted
 * when the {@code admin} credential is rotated or removed, so it never holds a key that no longer works.</li>
 * </ul>
 */
final class CredentialFile {
    static final String CREDENTIALS = "credentials.json";
    static final String LOCK = "credentials.lock";
    static final String ADMIN_KEY = "admin.key";
    static final int VERSION = 1;
    /**
     * File locks belong to the whole process: a second channel of this JVM asking for the same lock gets an
     * OverlappingFileLockException instead of waiting. So threads of this JVM queue here first.
     */
    private static final Object IN_PROCESS = new Object();

    /** Enough to tell that the file was replaced: each rename brings a new inode (fileKey) and mtime. */
    record Stamp(FileTime modified, long size, Object fileKey) {
    }

    record Loaded(List<Credential> credentials, Stamp stamp) {
    }

    interface Locked<T> {
        T run() throws IOException;
    }

    private final Path dir;
    private final Path file;

    CredentialFile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(CREDENTIALS);
    }

    Path path() {
        return file;
    }

    Path adminKeyPath() {
        return dir.resolve(ADMIN_KEY);
    }

    boolean exists() {
        return Files.exists(file);
    }

    <T> T locked(Locked<T> body) throws IOException {
        synchronized (IN_PROCESS) {
            try (FileChannel channel = FileChannel.open(dir.resolve(LOCK),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), OwnerOnly.file())) {
                FileLock lock = channel.lock();
                try {
                    return body.run();
                } finally {
                    lock.release();
                }
            }
        }
    }

    Stamp stamp() throws IOException {
        return stampOf(file);
    }

    static Stamp stampOf(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
    }

    /** The stamp is taken before the bytes: if the file is replaced in between, the next check sees a change. */
    Loaded read() throws IOException {
        Stamp stamp = stamp();
        return new Loaded(decode(Files.readAllBytes(file)), stamp);
    }

    /** Call only inside {@link #locked}, so that the returned stamp is that of the bytes just written. */
    Loaded write(List<Credential> credentials) throws IOException {
        writeAtomically(file, encode(credentials));
        return new Loaded(List.copyOf(credentials), stamp());
    }

    /**
     * Creates the {@code admin} credential of a fresh data directory; call only inside {@link #locked}. Returns a
     * note for the log, never the key. A preset key is used as is and not written to admin.key: the operator already holds it in configuration,
     * and a second copy on disk would only be one more place for the secret to leak from. An admin.key left by an
     * earlier, interrupted bootstrap is reused, because it is "written once, never rewritten".
     */
    String bootstrapAdmin(String presetAdminKey) throws IOException {
        String key;
        String whereKeyIs;
        if (presetAdminKey != null) {
            key = presetAdminKey;
            whereKeyIs = "its key is the one configured as auth.admin_key";
        } else {
            Optional<String> leftover = readAdminKey();
            key = leftover.isPresent() ? leftover.get() : Keys.newKey();
            if (leftover.isEmpty()) {
                writeAdminKey(key);
            }
            whereKeyIs = "its key is in " + adminKeyPath() + (leftover.isPresent() ? " (kept from before)" : "");
        }
        write(List.of(new Credential(CredentialStore.ADMIN, Role.ADMIN, Keys.hash(key), CredentialStore.now())));
        return "created credential " + CredentialStore.ADMIN + " (role admin); " + whereKeyIs;
    }

    Optional<String> readAdminKey() throws IOException {
        try {
            String key = Files.readString(adminKeyPath(), StandardCharsets.UTF_8).strip();
            return Optional.of(Keys.checkPreset(key, "the key in " + adminKeyPath()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    void writeAdminKey(String key) throws IOException {
        writeAtomically(adminKeyPath(), (key + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void deleteAdminKey() throws IOException {
        Files.deleteIfExists(adminKeyPath());
    }

    /** Created owner-only from the start, so the secret is never readable by others, not even for a moment. */
    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFiles.replace(target, bytes, OwnerOnly.file());
    }


    private byte[] encode(List<Credential> credentials) {
        JsonArray list = new JsonArray();
        for (Credential c : credentials) {
            list.add(new JsonObject()
                    .put("name", c.name())
                    .put("role", c.role().label())
                    .put("key_sha256", c.keyHash())
                    .put("created", c.created().toString()));
        }
        return new JsonObject().put("version", VERSION).put("credentials", list).encodePrettily()
                .getBytes(StandardCharsets.UTF_8);
    }

    private List<Credential> decode(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw corrupt("it is empty");
        }
        Object root;
        try {
            // One JSON value and nothing after it: trailing bytes fail the decoding too.
            root = Json.decodeValue(Buffer.buffer(bytes));
        } catch (DecodeException e) {
            throw corrupt("it is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof JsonObject object)) {
            throw corrupt("it is not a JSON object");
        }
        if (!(object.getValue("version") instanceof Integer version) || version != VERSION) {
            throw corrupt("version is " + object.getValue("version") + ", expected " + VERSION);
        }
        if (!(object.getValue("credentials") instanceof JsonArray list)) {
            throw corrupt("it has no \"credentials\" array");
        }
        List<Credential> credentials = new ArrayList<>(list.size());
        Set<String> seen = new HashSet<>();
        for (Object node : list) {
            Credential c = decodeOne(node, credentials.size() + 1);
            // Token auth finds a credential by its key hash, so hashes must be as unique as names.
            if (!seen.add("name " + c.name()) || !seen.add("hash " + c.keyHash())) {
                throw corrupt("credential #" + (credentials.size() + 1) + " repeats the name or key of another");
            }
            credentials.add(c);
        }
        return List.copyOf(credentials);
    }

    private Credential decodeOne(Object node, int number) throws IOException {
        try {
            JsonObject o = (JsonObject) node;
            return new Credential(text(o, "name"), Role.parse(text(o, "role")), text(o, "key_sha256"),
                    Instant.parse(String.valueOf(o.getValue("created"))));
        } catch (RuntimeException e) {
            throw corrupt("credential #" + number + " is malformed: " + e.getMessage());
        }
    }

    /** A member's text, or null when it is missing or not a string. */
    private static String text(JsonObject o, String name) {
        return o.getValue(name) instanceof String s ? s : null;
    }

    private IOException corrupt(String why) {
        return new IOException("credentials file " + file + " is corrupt: " + why
                + "; restore it from a backup or fix it by hand");
    }
}
