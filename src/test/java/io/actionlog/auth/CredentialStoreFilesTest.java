package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreFilesTest {
    private static final String PRESET = "preset-admin-key.0123456789";

    @TempDir
    Path dir;

    private Path credentials() {
        return dir.resolve("credentials.json");
    }

    private Path adminKey() {
        return dir.resolve("admin.key");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void freshDirectoryGetsAnAdminWhoseKeyIsInAnOwnerOnlyFile() throws IOException {
        Path data = dir.resolve("not-yet-there");
        CredentialStore store = CredentialStore.open(data, null);
        String key = Files.readString(data.resolve("admin.key")).strip();

        assertTrue(key.matches("[0-9a-f]{40}"), key);
        assertEquals("rw-------", mode(data.resolve("admin.key")));
        assertEquals("rw-------", mode(data.resolve("credentials.json")));
        assertEquals(new Caller("admin", Role.ADMIN), store.authenticate("Token " + key));
        assertTrue(store.bootstrapNote().orElseThrow().contains("admin.key"));
        assertFalse(store.bootstrapNote().orElseThrow().contains(key));
    }

    @Test
    void reopeningNeitherRecreatesAdminNorRewritesItsKeyFile() throws IOException {
        CredentialStore.open(dir, null);
        String key = Files.readString(adminKey());
        var modified = Files.getLastModifiedTime(adminKey());

        CredentialStore again = CredentialStore.open(dir, null);
        assertTrue(again.bootstrapNote().isEmpty());
        assertEquals(key, Files.readString(adminKey()));
        assertEquals(modified, Files.getLastModifiedTime(adminKey()));
        assertEquals("admin", again.authenticate("ApiKey admin:" + key.strip()).name());
    }

    @Test
    void adminKeyLeftByAnInterruptedBootstrapIsReusedNotReplaced() throws IOException {
        String leftover = Keys.newKey();
        Files.writeString(adminKey(), leftover + "\n");
        CredentialStore store = CredentialStore.open(dir, null);
        assertEquals(leftover + "\n", Files.readString(adminKey()));
        assertEquals("admin", store.authenticate("Token " + leftover).name());
    }

    /** The preset key lives in configuration already; writing it to admin.key would only add a copy to leak. */
    @Test
    void presetAdminKeyIsUsedAndNoKeyFileIsWritten() throws IOException {
        CredentialStore store = CredentialStore.open(dir, PRESET);
        assertEquals(new Caller("admin", Role.ADMIN), store.authenticate("ApiKey admin:" + PRESET));
        assertFalse(Files.exists(adminKey()));
        assertTrue(store.bootstrapNote().orElseThrow().contains("auth.admin_key"));
    }

    @Test
    void shortOrOddPresetKeyIsRejectedNamingTheSettingButNotTheValue() {
        for (String bad : List.of("too-short-key", "has spaces in it, long enough", "colon:is:not:allowed:here")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CredentialStore.open(dir, bad));
            assertTrue(e.getMessage().contains("auth.admin_key"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
        assertFalse(Files.exists(credentials()));
    }

    @Test
    void fileHoldsHashesNeverKeys() throws IOException {
        CredentialStore store = CredentialStore.open(dir, PRESET);
        String key = store.add("alice", Role.USER);
        String text = Files.readString(credentials());
        assertFalse(text.contains(key) || text.contains(PRESET), text);
        assertTrue(text.contains(Keys.hash(key)), text);
        assertEquals("rw-------", mode(credentials()));
    }

    @Test
    void reloadSeesChangesMadeByAnotherInstanceLikeTheCommandLine() throws IOException {
        CredentialStore server = CredentialStore.open(dir, PRESET);
        CredentialStore cli = CredentialStore.open(dir, PRESET);
        assertFalse(server.reloadIfChanged());

        String key = cli.add("carol", Role.RECORDER);
        assertFalse(assertThrows(AuthException.class, () -> server.authenticate("carol", key)).missing());
        assertTrue(server.reloadIfChanged());
        assertEquals(new Caller("carol", Role.RECORDER), server.authenticate("ApiKey carol:" + key));
        assertFalse(server.reloadIfChanged());

        cli.remove("carol", false);
        assertTrue(server.reloadIfChanged());
        assertThrows(AuthException.class, () -> server.authenticate("carol", key));
    }

    @Test
    void changesFromTwoInstancesAtOnceAreAllKept() throws Exception {
        CredentialStore a = CredentialStore.open(dir, PRESET);
        CredentialStore b = CredentialStore.open(dir, PRESET);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (CredentialStore s : List.of(a, b)) {
                String prefix = s == a ? "a" : "b";
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        s.add(prefix + i, Role.USER);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        a.reloadIfChanged();
        assertEquals(41, a.list().size());
    }

    @Test
    void truncatedFileFailsWithAClearErrorNamingIt() throws IOException {
        CredentialStore.open(dir, PRESET).add("alice", Role.USER);
        String text = Files.readString(credentials());
        Files.writeString(credentials(), text.substring(0, text.length() / 2));
        IOException e = assertThrows(IOException.class, () -> CredentialStore.open(dir, PRESET));
        assertTrue(e.getMessage().contains(credentials().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void emptyOrMalformedFileIsNeverAnEmptyStore() throws IOException {
        CredentialStore.open(dir, PRESET);
        for (String bad : List.of("", "[]", "{\"version\":1}", "{\"version\":2,\"credentials\":[]}",
                "{\"version\":1,\"credentials\":[{\"name\":\"x\",\"role\":\"king\"}]}")) {
            Files.writeString(credentials(), bad, StandardCharsets.UTF_8);
            IOException e = assertThrows(IOException.class, () -> CredentialStore.open(dir, PRESET), bad);
            assertTrue(e.getMessage().contains(credentials().toString()), e.getMessage());
        }
    }

    @Test
    void failedReloadKeepsTheLastGoodCredentials() throws IOException {
        CredentialStore server = CredentialStore.open(dir, PRESET);
        Files.writeString(credentials(), "{\"version\":1,\"credentials\":[");
        assertThrows(IOException.class, server::reloadIfChanged);
        assertEquals("admin", server.authenticate("admin", PRESET).name());
    }

    @Test
    void addRefusesDuplicatesAndBadNames() throws IOException {
        CredentialStore store = CredentialStore.open(dir, PRESET);
        store.add("alice@example.org", Role.USER);
        assertThrows(IllegalArgumentException.class, () -> store.add("alice@example.org", Role.ADMIN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice:colon", Role.USER));
        assertTrue(e.getMessage().contains("alice:colon"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.add("x".repeat(151), Role.USER));
        assertThrows(IllegalArgumentException.class, () -> store.rotate("nobody", null, false));
        assertThrows(IllegalArgumentException.class, () -> store.remove("nobody", false));
    }

    @Test
    void listIsSortedByNameAndKeepsRolesAndCreationTime() throws IOException {
        CredentialStore store = CredentialStore.open(dir, PRESET);
        store.add("zed", Role.AUDITOR);
        store.add("bob", Role.USER);
        List<Credential> list = store.list();
        assertEquals(List.of("admin", "bob", "zed"), list.stream().map(Credential::name).toList());
        assertEquals(Role.AUDITOR, list.get(2).role());

        Credential before = list.get(1);
        store.rotate("bob", null, false);
        Credential after = store.list().get(1);
        assertEquals(before.created(), after.created());
        assertFalse(before.keyHash().equals(after.keyHash()));
    }
}
