package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticateTest {
    @TempDir
    Path dir;
    CredentialStore store;
    String aliceKey;

    @BeforeEach
    void openStoreWithAlice() throws IOException {
        store = CredentialStore.open(dir, null);
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
}
