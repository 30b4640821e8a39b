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
import java.util.function.Consumer;

/**
 * The credentials of one data directory (files described in {@link CredentialFile}), and the check of a
 * presented key against them.
 *
 * <p>Threads: {@link #authenticate} takes no lock and may be called from any number of threads at once; it reads
 * one immutable snapshot through a volatile field. {@link #reloadIfChanged} and the changes ({@link #add},
 * {@link #rotate}, {@link #remove}) are serialised on this object and publish a new snapshot when done, then tell
 * the {@link #onChange} listeners, so that whoever holds an older authentication can check it again. The
 * command line may change the file while a server runs: changes go through the file lock, and the server sees
 * them when it next calls {@link #reloadIfChanged}. If a reload fails (say the file was damaged by hand), the last
 * good snapshot stays in force and the caller gets the IOException to report.
 */
public final class CredentialStore implements AutoCloseable {
    static final String ADMIN = "admin";

    private final CredentialFile file;
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

    private CredentialStore(CredentialFile file, CredentialFile.Loaded loaded, String bootstrapNote) {
        this.file = file;
        this.snapshot = Snapshot.of(loaded);
        this.bootstrapNote = bootstrapNote;
    }

    /**
     * Opens the store, creating the directory and, when there is no credentials file yet, the {@code admin}
     * credential. {@code presetAdminKey} (configuration key auth.admin_key, may be null) is checked even when the
     * store exists already, so a bad value fails at start rather than on the day of a fresh install.
     */
    public static CredentialStore open(Path dataDir, String presetAdminKey) throws IOException {
        if (presetAdminKey != null) {
            Keys.checkPreset(presetAdminKey, "auth.admin_key");
        }
        OwnerOnly.createDirectories(dataDir);
        CredentialFile file = new CredentialFile(dataDir);
        String[] note = {null};
        CredentialFile.Loaded loaded = file.locked(() -> {
            if (!file.exists()) {
                note[0] = bootstrap(file, presetAdminKey);
            }
            return file.read();
        });
        return new CredentialStore(file, loaded, note[0]);
    }

    /**
     * A preset key is used as is and not written to admin.key: the operator already holds it in configuration,
     * and a second copy on disk would only be one more place for the secret to leak from. An admin.key left by an
     * earlier, interrupted bootstrap is reused, because it is "written once, never rewritten".
     */
    private static String bootstrap(CredentialFile file, String presetAdminKey) throws IOException {
        String key;
        String whereKeyIs;
        if (presetAdminKey != null) {
            key = presetAdminKey;
            whereKeyIs = "its key is the one configured as auth.admin_key";
        } else {
            Optional<String> leftover = file.readAdminKey();
            key = leftover.isPresent() ? leftover.get() : Keys.newKey();
            if (leftover.isEmpty()) {
                file.writeAdminKey(key);
            }
            whereKeyIs = "its key is in " + file.adminKeyPath() + (leftover.isPresent() ? " (kept from before)" : "");
        }
        file.write(List.of(new Credential(ADMIN, Role.ADMIN, Keys.hash(key), now())));
        return "created credential " + ADMIN + " (role admin); " + whereKeyIs;
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
        String key = Keys.newKey();
        Credential fresh = new Credential(name, role, Keys.hash(key), now());
        change(all -> {
            if (indexOf(all, name) >= 0) {
                throw new IllegalArgumentException("credential " + name + " already exists");
            }
            all.add(fresh);
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
            all.set(i, new Credential(name, role == null ? c.role() : role, Keys.hash(key), c.created()));
        });
        return key;
    }

    /** Refused when it would leave no admin credential, unless {@code force}. */
    public synchronized void remove(String name, boolean force) throws IOException {
        change(name, force, all -> all.remove(existing(all, name)));
    }

    /** Nothing to release: no file stays open between calls (the lock is taken for each change). */
    @Override
    public void close() {
    }

    /** Read-modify-write under the file lock, from the file rather than the snapshot, so no other change is lost. */
    private void change(Consumer<List<Credential>> edit) throws IOException {
        publish(Snapshot.of(file.locked(() -> {
            List<Credential> all = new ArrayList<>(file.read().credentials());
            edit.accept(all);
            return file.write(all);
        })));
    }

    /**
     * A change to the credential {@code name}: refused if it leaves no admin credential (nobody could then cancel
     * or retry another user's action), unless forced. A change to {@code admin} deletes admin.key, whose key it
     * has just made stale; admin.key is read only when the store is bootstrapped, never after.
     */
    private void change(String name, boolean force, Consumer<List<Credential>> edit) throws IOException {
        change(all -> {
            edit.accept(all);
            if (!force && all.stream().noneMatch(c -> c.role() == Role.ADMIN)) {
                throw new IllegalStateException("refused: " + name + " is the last admin credential; add another "
                        + "admin first, or pass --force");
            }
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

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
