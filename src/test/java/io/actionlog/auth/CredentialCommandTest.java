package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credential …} run as the jar runs it, on a data directory given with --data-dir. */
class CredentialCommandTest {
    private static final String PRESET = "preset-admin-key.0123456789";

    @TempDir
    Path dir;
    private Path data;
    private Cli last;

    @BeforeEach
    void aDataDirectoryAsTheServerLeavesIt() throws IOException {
        data = dir.resolve("data");
        CredentialStore.open(data, PRESET).close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("credential"));
        all.addAll(List.of(args));
        all.addAll(List.of("--data-dir", data.toString()));
        last = Cli.run(all.toArray(String[]::new));
        return last.code();
    }

    private String out() {
        return last.out();
    }

    private String err() {
        return last.err();
    }

    private Caller authenticate(String header) throws IOException {
        return CredentialStore.open(data, PRESET).authenticate(header);
    }

    @Test
    void addPrintsTheKeyAloneOnTheLastLineWithRoleUserByDefault() throws IOException {
        assertEquals(0, run("add", "alice"));
        assertEquals(List.of("created credential alice (role user)"), last.outLines().subList(0, 1));
        assertEquals(2, last.outLines().size(), out());
        assertTrue(last.lastLine().matches("[0-9a-f]{40}"), out());
        assertEquals(new Caller("alice", Role.USER), authenticate("ApiKey alice:" + last.lastLine()));
    }

    @Test
    void addAcceptsRoleAsTwoWordsOrWithEquals() throws IOException {
        assertEquals(0, run("add", "--role", "RECORDER", "rec"));
        assertEquals(Role.RECORDER, authenticate("Token " + last.lastLine()).role());
        assertEquals(0, run("add", "aud", "--role=auditor"));
        assertEquals(Role.AUDITOR, authenticate("Token " + last.lastLine()).role());
    }

    @Test
    void addingAnExistingNameIsRefusedWithExitCode1() {
        assertEquals(0, run("add", "alice"));
        assertEquals(1, run("add", "alice", "--role", "admin"));
        assertTrue(err().contains("alice") && err().contains("already exists"), err());
        assertEquals("", out());
    }

    @Test
    void usageErrorsExitWith2NamingTheProblemInOneLineThenTheUsageWithoutTouchingTheDataDirectory()
            throws IOException {
        byte[] before = Files.readAllBytes(data.resolve(CredentialFile.CREDENTIALS));
        List<List<String>> bad = List.of(List.of(), List.of("frobnicate"), List.of("add"), List.of("add", "a", "b"),
                List.of("add", "a", "--role"), List.of("add", "a", "--role", "root"), List.of("add", "a", "--force"),
                List.of("add", "bad:name"), List.of("remove"), List.of("rotate", "a", "b"), List.of("list", "x"));
        for (List<String> args : bad) {
            assertEquals(2, run(args.toArray(String[]::new)), args.toString());
            List<String> lines = err().lines().toList();
            assertTrue(lines.get(0).startsWith("actionlog credential"), err());
            assertTrue(lines.get(1).startsWith("Usage: actionlog credential"), err());
            assertEquals("", out());
        }
        assertEquals(List.of("credential-changes.ndjson", "credentials.json", "credentials.lock"), names(data));
        assertEquals(new String(before), Files.readString(data.resolve(CredentialFile.CREDENTIALS)));
    }

    @Test
    void badRoleNamesTheAllowedRoles() {
        assertEquals(2, run("add", "alice", "--role=root"));
        assertTrue(err().contains("\"root\"") && err().contains("user, auditor, recorder, admin"), err());
    }

    @Test
    void listPrintsNameRoleAndCreatedButNoHashes() throws IOException {
        run("add", "alice", "--role", "auditor");
        assertEquals(0, run("list"));
        List<String> lines = last.outLines();
        assertEquals(List.of("NAME", "ROLE", "CREATED"), List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).matches("admin\\s+admin\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z"), lines.get(1));
        assertTrue(lines.get(2).matches("alice\\s+auditor\\s+\\S+Z"), lines.get(2));
        assertEquals(3, lines.size());
        for (Credential c : CredentialStore.open(data, PRESET).list()) {
            assertFalse(out().contains(c.keyHash()), out());
        }
    }

    @Test
    void rotatePrintsANewKeyAndTheOldOneStopsWorking() throws IOException {
        run("add", "alice");
        String oldKey = last.lastLine();
        assertEquals(0, run("rotate", "alice"));
        String newKey = last.lastLine();
        assertTrue(newKey.matches("[0-9a-f]{40}"), out());
        assertEquals(2, last.outLines().size());
        assertEquals("alice", authenticate("ApiKey alice:" + newKey).name());
        assertFalse(assertThrows(AuthException.class,
                () -> authenticate("ApiKey alice:" + oldKey)).missing());
    }

    @Test
    void rotateCanChangeTheRole() throws IOException {
        run("add", "alice");
        assertEquals(0, run("rotate", "alice", "--role", "auditor"));
        assertEquals(new Caller("alice", Role.AUDITOR), authenticate("ApiKey alice:" + last.lastLine()));
    }

    @Test
    void removeAndRotateOfAnUnknownNameExitWith1() {
        assertEquals(1, run("remove", "nobody"));
        assertTrue(err().contains("nobody"), err());
        assertEquals(1, run("rotate", "nobody"));
        assertEquals("", out());
    }

    @Test
    void removeDeletesTheCredential() throws IOException {
        run("add", "alice");
        String key = last.lastLine();
        assertEquals(0, run("remove", "alice"));
        assertEquals("removed credential alice", out().strip());
        assertThrows(AuthException.class, () -> authenticate("Token " + key));
    }

    @Test
    void removingOrDemotingTheOnlyAdminIsRefusedUnlessForced() throws IOException {
        assertEquals(1, run("remove", "admin"));
        assertTrue(err().contains("last admin") && err().contains("--force"), err());
        assertEquals(1, run("rotate", "admin", "--role", "user"));
        assertEquals(Role.ADMIN, authenticate("Token " + PRESET).role(), "nothing changed");
        assertEquals(0, run("add", "root", "--role", "admin"));
        assertEquals(0, run("remove", "admin"), err());
        assertEquals(1, run("remove", "root"));
        assertEquals(0, run("remove", "root", "--force"), err());
        assertEquals(List.of(), CredentialStore.open(data, PRESET).list());
    }

    @Test
    void rotatingOrRemovingTheAdminLeavesNoStaleAdminKey() throws IOException {
        Path fresh = dir.resolve("fresh");
        CredentialStore.open(fresh, null).close();
        assertTrue(Files.exists(fresh.resolve("admin.key")));
        data = fresh;
        assertEquals(0, run("rotate", "admin"), err());
        assertFalse(Files.exists(fresh.resolve("admin.key")), "the rotated key is printed, not left on disk");
        assertEquals(Role.ADMIN, CredentialStore.open(fresh, null).authenticate("Token " + last.lastLine()).role());

        Path other = dir.resolve("other");
        CredentialStore.open(other, null).close();
        data = other;
        assertEquals(0, run("remove", "admin", "--force"), err());
        assertFalse(Files.exists(other.resolve("admin.key")));
    }

    @Test
    void aFolderWithoutADataDirectoryIsAnErrorAndNothingIsCreated() throws IOException {
        data = dir.resolve("elsewhere");
        for (String[] args : List.of(new String[] {"add", "alice"}, new String[] {"list"},
                new String[] {"rotate", "admin"}, new String[] {"remove", "alice"})) {
            assertEquals(1, run(args), err());
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().contains("no credentials in " + data), err());
            assertEquals("", out());
        }
        assertEquals(List.of("data"), names(dir));
    }

    @Test
    void addWithCreateMakesAFreshDataDirectoryWithAnAdminAndSaysSoOnStderrWithoutTheKey() throws IOException {
        data = dir.resolve("new");
        assertEquals(0, run("add", "alice", "--create"), err());
        String adminKey = Files.readString(data.resolve("admin.key")).strip();
        assertTrue(err().contains("created data directory") && err().contains("created credential admin")
                && err().contains("admin.key"), err());
        assertFalse(err().contains(adminKey) || out().contains(adminKey));
        assertEquals(0, run("list"));
        assertEquals("", err());
    }

    private static List<String> names(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
