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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CredentialStore: how a request header becomes a caller, and what the store keeps on disk. */
class CredentialStoreTest {
    private static final String PRESET = "preset-admin-key.0123456789";

    // How a request header becomes a caller.
    @TempDir
    Path dir;
    CredentialStore store;
    String aliceKey;

    @BeforeEach
    void openStoreWithAlice() throws IOException {
        store = CredentialStore.open(dir.resolve("with-alice"), null);
        aliceKey = store.add("alice", Role.AUDITOR);
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private AuthException rejected(String header) {
        return assertThrows(AuthException.class, () -> store.authenticate(header));
    }

    @Test
    void newKeysAre40LowercaseHexCharacters() {
        assertTrue(aliceKey.matches("[0-9a-f]{40}"), aliceKey);
    }

    @Test
    void apiKeyFormAuthenticates() {
        assertEquals(new Caller("alice", Role.AUDITOR), store.authenticate("ApiKey alice:" + aliceKey));
    }

    @Test
    void basicFormAuthenticates() {
        assertEquals(new Caller("alice", Role.AUDITOR), store.authenticate(basic("alice:" + aliceKey)));
    }

    @Test
    void tokenFormFindsTheCredentialByKeyAlone() {
        assertEquals(new Caller("alice", Role.AUDITOR), store.authenticate("Token " + aliceKey));
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "TOKEN", "Token", "tOkEn"})
    void tokenSchemeIsCaseInsensitive(String scheme) {
        assertEquals("alice", store.authenticate(scheme + " " + aliceKey).name());
    }

    @Test
    void apiKeyAndBasicSchemesAreCaseInsensitive() {
        assertEquals("alice", store.authenticate("apikey alice:" + aliceKey).name());
        assertEquals("alice", store.authenticate("APIKEY alice:" + aliceKey).name());
        assertEquals("alice", store.authenticate(basic("alice:" + aliceKey).replace("Basic", "basic")).name());
        assertEquals("alice", store.authenticate(basic("alice:" + aliceKey).replace("Basic", "BASIC")).name());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t  "})
    void absentOrBlankHeaderIsMissing(String header) {
        assertTrue(rejected(header).missing());
        assertEquals("Authentication credentials were not provided.", rejected(header).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Token", "ApiKey", "Basic", "Token a b", "ApiKey alice: key", "Token  x  y"})
    void onePartAndThreePartHeadersAreInvalid(String header) {
        AuthException e = rejected(header);
        assertFalse(e.missing());
        assertEquals("Invalid token.", e.getMessage());
    }

    @Test
    void threePartHeadersWithAGoodKeyAreStillInvalid() {
        assertFalse(rejected("Token " + aliceKey + " extra").missing());
        assertFalse(rejected("ApiKey alice:" + aliceKey + " extra").missing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Foo", "Foo bar", "Bearer a b", "Tokens x", "Api key", "Negotiate\tx"})
    void unknownSchemeCountsAsNoCredentialsWhateverFollowsLikeDjangoRestFramework(String header) {
        assertTrue(rejected(header).missing(), header);
    }

    @Test
    void aBareKeyOrAnotherSchemesKeyIsNoCredentials() {
        assertTrue(rejected(aliceKey).missing(), "a bare key reads as a scheme we do not know");
        assertTrue(rejected("Bearer " + aliceKey).missing());
    }

    @Test
    void badBase64IsInvalid() {
        assertFalse(rejected("Basic %%%not-base64%%%").missing());
    }

    @Test
    void pairWithoutColonOrWithEmptyPartIsInvalid() {
        assertFalse(rejected(basic("alice" + aliceKey)).missing());
        assertFalse(rejected("ApiKey alice" + aliceKey).missing());
        assertFalse(rejected("ApiKey alice:").missing());
        assertFalse(rejected("ApiKey :" + aliceKey).missing());
    }

    @Test
    void wrongKeyIsInvalid() {
        String wrong = Keys.newKey();
        assertFalse(rejected("ApiKey alice:" + wrong).missing());
        assertFalse(rejected(basic("alice:" + wrong)).missing());
        assertFalse(rejected("Token " + wrong).missing());
    }

    @Test
    void unknownNameIsInvalidEvenWithAGoodKey() {
        assertFalse(rejected("ApiKey mallory:" + aliceKey).missing());
        assertFalse(rejected(basic("mallory:" + aliceKey)).missing());
    }

    @Test
    void keyOfOneCredentialDoesNotOpenAnother() throws IOException {
        store.add("bob", Role.USER);
        assertFalse(rejected("ApiKey bob:" + aliceKey).missing());
    }

    @Test
    void queryParameterFormWorksWithAndWithoutName() {
        assertEquals("alice", store.authenticate("alice", aliceKey).name());
        assertEquals("alice", store.authenticate(null, aliceKey).name());
        assertEquals("alice", store.authenticate("", aliceKey).name());
        assertFalse(assertThrows(AuthException.class, () -> store.authenticate("bob", aliceKey)).missing());
        assertTrue(assertThrows(AuthException.class, () -> store.authenticate("alice", null)).missing());
        assertTrue(assertThrows(AuthException.class, () -> store.authenticate(null, "")).missing());
    }

    @Test
    void rotatedKeyStopsWorkingAndTheNewOneWorks() throws IOException {
        String newKey = store.rotate("alice", null, false);
        assertFalse(rejected("ApiKey alice:" + aliceKey).missing());
        assertFalse(rejected("Token " + aliceKey).missing());
        assertEquals(new Caller("alice", Role.AUDITOR), store.authenticate("ApiKey alice:" + newKey));
        assertEquals("alice", store.authenticate("Token " + newKey).name());
    }

    @Test
    void removedCredentialNoLongerAuthenticates() throws IOException {
        store.remove("alice", false);
        assertFalse(rejected("ApiKey alice:" + aliceKey).missing());
        assertFalse(rejected("Token " + aliceKey).missing());
    }

    // What the store keeps on disk.
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
