package io.actionlog.auth;

import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The credentials of one data directory (files described in {@link CredentialFile}), and the check of a
 * presented key against them.
 *
 * <p>Threads: {@link #authenticate} takes no lock and may be called from any number of threads at once; it reads
 * one immutable snapshot through a volatile field. {@link #reloadIfChanged} and the changes ({@link #add},
 * {@link #rotate}, {@link #remove}) are serialised on this object and publish a new snapshot when done, then tell
 * the {@link #onChange} listeners, so that whoever holds an older authentication can check it again. The
 * command line may change the file while a server runs: changes go through the file lock, and the server sees
 * them when it next calls {@link #sync}. If a reload fails (say the file was damaged by hand), the last
 * good snapshot stays in force and the caller gets the IOException to report.
 *
 * <p>An audit server audits itself: every change made through a store (and the bootstrap admin) is also appended to
 * the change log ({@link CredentialChangeLog}) in the same locked step, naming who made it; a running server moves
 * those changes into its journal as actions with {@link #sync}.
 */
public final class CredentialStore implements AutoCloseable {
    /** The credentials file format this build reads and writes (a data directory records it: server.DataFormat). */
    public static final int FORMAT = CredentialFile.VERSION;
    public static final String ADMIN = "admin";

    private final CredentialFile file;
    private final CredentialChangeLog changes;
    private final String by;
    private final String bootstrapNote;
    private volatile Snapshot snapshot;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Two indexes over the same credentials: by name (ApiKey, Basic) and by key hash (Token). */
    private record Snapshot(Map<String, Credential> byName, Map<String, Credential> byHash,
                            CredentialFile.Stamp stamp) {
        static Snapshot of(CredentialFile.Loaded loaded) {
            Map<String, Credential> byName = new HashMap<>();
            Map<String, Credential> byHash = new HashMap<>();
            for (Credential c : loaded.credentials()) {
                byName.put(c.name(), c);
                byHash.put(c.keyHash(), c);
            }
            return new Snapshot(Map.copyOf(byName), Map.copyOf(byHash), loaded.stamp());
        }
    }

    /** A change, without the key, as the change log records it. */
    private record Edit(CredentialChange.Op op, String name, Role role, Role previousRole) {
    }

    /** What the server records the logged changes with. */
    public interface Recorder {
        /** Returns once every change is durable in the journal (for one recorded before: an idempotent repeat). */
        void record(List<CredentialChange> changes) throws IOException;
    }

    private CredentialStore(CredentialFile file, CredentialChangeLog changes, String by, CredentialFile.Loaded loaded,
                            String bootstrapNote) {
        this.file = file;
        this.changes = changes;
        this.by = by;
        this.snapshot = Snapshot.of(loaded);
        this.bootstrapNote = bootstrapNote;
    }

    /** The files the store keeps in a data directory, by name (those that exist there): what a backup copies. */
    public static final java.util.List<String> FILES = java.util.List.of(CredentialFile.CREDENTIALS,
            CredentialFile.ADMIN_KEY, CredentialChangeLog.FILE);

    /** As {@link #open(Path, String, String)} for the command line: its changes are made by {@code cli}. */
    public static CredentialStore open(Path dataDir, String presetAdminKey) throws IOException {
        return open(dataDir, presetAdminKey, CredentialChange.CLI);
    }

    /**
     * Opens the store, creating the directory and, when there is no credentials file yet, the {@code admin}
     * credential. {@code presetAdminKey} (configuration key auth.admin_key, may be null) is checked even when the
     * store exists already, so a bad value fails at start rather than on the day of a fresh install. {@code by}
     * names who makes the changes made through this store, the bootstrap included, in the change log.
     */
    public static CredentialStore open(Path dataDir, String presetAdminKey, String by) throws IOException {
        if (presetAdminKey != null) {
            Keys.checkPreset(presetAdminKey, "auth.admin_key");
        }
        OwnerOnly.createDirectories(dataDir);
        CredentialFile file = new CredentialFile(dataDir);
        CredentialChangeLog changes = new CredentialChangeLog(dataDir);
        String[] note = {null};
        CredentialFile.Loaded loaded = file.locked(() -> {
            if (!file.exists()) {
                changes.append(CredentialChange.Op.ADD, ADMIN, Role.ADMIN, null, by);
                note[0] = file.bootstrapAdmin(presetAdminKey);
            }
            return file.read();
        });
        return new CredentialStore(file, changes, by, loaded, note[0]);
    }

    /** Whether {@code dataDir} holds a credential store (which {@link #open} would otherwise create). */
    public static boolean existsIn(Path dataDir) {
        return new CredentialFile(dataDir).exists();
    }

    /** What {@link #open} created, for the server's log and the command line's stderr; never contains a key. */
    public Optional<String> bootstrapNote() {
        return Optional.ofNullable(bootstrapNote);
    }

    public Path file() {
        return file.path();
    }

    public Caller authenticate(String authorizationHeader) {
        return credential(authorizationHeader).caller();
    }

    /** For {@code ?user=&token=}: a null or empty name looks the key up alone, as the Token form does. */
    public Caller authenticate(String name, String key) {
        return credential(name, key).caller();
    }

    /** As {@link #authenticate(String)}, giving the credential itself, for a caller that will check {@link #holds}. */
    public Credential credential(String authorizationHeader) {
        AuthorizationHeader.Presented presented = AuthorizationHeader.parse(authorizationHeader);
        return credential(presented.name(), presented.key());
    }

    /** As {@link #authenticate(String, String)}, giving the credential itself. */
    public Credential credential(String name, String key) {
        if (key == null || key.isEmpty()) {
            throw AuthException.noCredentials();
        }
        Snapshot s = snapshot;
        if (name == null || name.isEmpty()) {
            // A map lookup by hash is not constant-time, but what it could leak is about the SHA-256 of the
            // guess, which tells an attacker nothing about any real key.
            Credential c = s.byHash().get(Keys.hash(key));
            if (c == null) {
                throw AuthException.invalid();
            }
            return c;
        }
        Credential c = s.byName().get(name);
        boolean keyMatches = Keys.matches(key, c == null ? Keys.DUMMY_HASH : c.keyHash());
        if (c == null || !keyMatches) {
            throw AuthException.invalid();
        }
        return c;
    }

    /**
     * Whether a credential that authenticated earlier is still in force exactly as it was: not removed, its key not
     * rotated, its role not changed. Long-lived streams ask this after every change ({@link #onChange}).
     */
    public boolean holds(Credential authenticated) {
        return authenticated.equals(snapshot.byName().get(authenticated.name()));
    }

    /**
     * Runs {@code listener} after each new snapshot is in force (a reload that found the file changed, or a change
     * made through this store), on the thread that made it; it must be quick and must not call back into a change.
     */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Cheap when nothing changed (one stat); re-reads the file when another process replaced it. */
    public synchronized boolean reloadIfChanged() throws IOException {
        if (file.stamp().equals(snapshot.stamp())) {
            return false;
        }
        publish(Snapshot.of(file.read()));
        return true;
    }

    /**
     * The running server's reload, about once a second: hands the changes the log holds to {@code recorder}, trims
     * them once recorded, and publishes the credentials file if it changed. The file is read before the log, and
     * the command line logs a change before it replaces the file, so a credential normally works only once its
     * change is in the journal. A failing recorder (a journal that refuses writes) does not hold a removal or a
     * rotation back: the credentials are published anyway, the changes stay in the log for the next call, and the
     * failure is thrown after.
     */
    public synchronized boolean sync(Recorder recorder) throws IOException {
        CredentialFile.Loaded loaded = file.stamp().equals(snapshot.stamp()) ? null : file.read();
        IOException failure = null;
        try {
            changes.recordPending(recorder, file);
        } catch (IOException e) {
            failure = e;
        }
        if (loaded != null) {
            publish(Snapshot.of(loaded));
        }
        if (failure != null) {
            throw failure;
        }
        return loaded != null;
    }

    private void publish(Snapshot next) {
        snapshot = next;
        listeners.forEach(Runnable::run);
    }

    /** Sorted by name. */
    public List<Credential> list() {
        List<Credential> all = new ArrayList<>(snapshot.byName().values());
        all.sort(Comparator.comparing(Credential::name));
        return List.copyOf(all);
    }

    /** Returns the new key: the only time anyone sees it. */
    public synchronized String add(String name, Role role) throws IOException {
        if (CredentialChange.RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException("the name " + name + " is reserved: credential changes are recorded "
                    + "as actions of the users " + String.join(" and ", CredentialChange.RESERVED_NAMES.stream()
                    .sorted().toList()) + ", which a credential of that name could read");
        }
        String key = Keys.newKey();
        Credential fresh = new Credential(name, role, Keys.hash(key), now());
        change(all -> {
            if (indexOf(all, name) >= 0) {
                throw new IllegalArgumentException("credential " + name + " already exists");
            }
            all.add(fresh);
            return new Edit(CredentialChange.Op.ADD, name, role, null);
        });
        return key;
    }

    /**
     * Returns the new key; the old one stops working at once in this process, and on the next reload elsewhere.
     * {@code role} null keeps the role. Refused when it would leave no admin credential, unless {@code force}.
     */
    public synchronized String rotate(String name, Role role, boolean force) throws IOException {
        String key = Keys.newKey();
        change(name, force, all -> {
            int i = existing(all, name);
            Credential c = all.get(i);
            Role next = role == null ? c.role() : role;
            all.set(i, new Credential(name, next, Keys.hash(key), c.created()));
            return new Edit(CredentialChange.Op.ROTATE, name, next, next == c.role() ? null : c.role());
        });
        return key;
    }

    /** Refused when it would leave no admin credential, unless {@code force}. */
    public synchronized void remove(String name, boolean force) throws IOException {
        change(name, force, all -> new Edit(CredentialChange.Op.REMOVE, name, all.remove(existing(all, name)).role(),
                null));
    }

    /** Nothing to release: no file stays open between calls (the lock is taken for each change). */
    @Override
    public void close() {
    }

    /**
     * Read-modify-write under the file lock, from the file rather than the snapshot, so no other change is lost.
     * The change is logged before the credentials are replaced: a crash in between leaves a logged change that did
     * not take effect, never one that took effect unlogged.
     */
    private void change(Function<List<Credential>, Edit> edit) throws IOException {
        publish(Snapshot.of(file.locked(() -> {
            List<Credential> all = new ArrayList<>(file.read().credentials());
            Edit e = edit.apply(all);
            changes.append(e.op(), e.name(), e.role(), e.previousRole(), by);
            return file.write(all);
        })));
    }

    /**
     * A change to the credential {@code name}: refused if it leaves no admin credential (nobody could then cancel
     * or retry another user's action), unless forced. A change to {@code admin} deletes admin.key, whose key it
     * has just made stale; admin.key is read only when the store is bootstrapped, never after.
     */
    private void change(String name, boolean force, Function<List<Credential>, Edit> edit) throws IOException {
        change(all -> {
            Edit e = edit.apply(all);
            if (!force && all.stream().noneMatch(c -> c.role() == Role.ADMIN)) {
                throw new IllegalStateException("refused: " + name + " is the last admin credential; add another "
                        + "admin first, or pass --force");
            }
            return e;
        });
        if (name.equals(ADMIN)) {
            file.deleteAdminKey();
        }
    }

    private static int existing(List<Credential> all, String name) {
        int i = indexOf(all, name);
        if (i < 0) {
            throw new IllegalArgumentException("no credential named " + name);
        }
        return i;
    }

    private static int indexOf(List<Credential> all, String name) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
