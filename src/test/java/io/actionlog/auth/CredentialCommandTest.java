package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCommandTest {
    private static final String PRESET = "preset-admin-key.0123456789";

    @TempDir
    Path dir;
    private String out;
    private String err;

    private int run(String... args) {
        return runWithPreset(PRESET, args);
    }

    private int runWithPreset(String preset, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = CredentialCommand.run(List.of(args), dir, preset,
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private List<String> outLines() {
        return out.lines().toList();
    }

    private String lastLine() {
        List<String> lines = outLines();
        return lines.get(lines.size() - 1);
    }

    private Caller authenticate(String header) throws IOException {
        return CredentialStore.open(dir, PRESET).authenticate(header);
    }

    @Test
    void addPrintsTheKeyAloneOnTheLastLineWithRoleUserByDefault() throws IOException {
        assertEquals(0, run("add", "alice"));
        assertEquals(List.of("created credential alice (role user)"), outLines().subList(0, outLines().size() - 1));
        assertTrue(lastLine().matches("[0-9a-f]{40}"), out);
        assertEquals(new Caller("alice", Role.USER), authenticate("ApiKey alice:" + lastLine()));
    }

    @Test
    void addAcceptsRoleAsTwoWordsOrWithEquals() throws IOException {
        assertEquals(0, run("add", "--role", "RECORDER", "rec"));
        assertEquals(Role.RECORDER, authenticate("Token " + lastLine()).role());
        assertEquals(0, run("credential", "add", "aud", "--role=auditor"));
        assertEquals(Role.AUDITOR, authenticate("Token " + lastLine()).role());
    }

    @Test
    void addingAnExistingNameIsRefusedWithExitCode1() {
        assertEquals(0, run("add", "alice"));
        assertEquals(1, run("add", "alice", "--role", "admin"));
        assertTrue(err.contains("alice") && err.contains("already exists"), err);
        assertEquals("", out);
    }

    @Test
    void usageErrorsPrintOneLineAndExitWith2WithoutTouchingTheDataDirectory() throws IOException {
        List<List<String>> bad = List.of(List.of(), List.of("frobnicate"), List.of("add"), List.of("add", "a", "b"),
                List.of("add", "a", "--role"), List.of("add", "a", "--role", "root"), List.of("add", "a", "--force"),
                List.of("add", "bad:name"), List.of("remove"), List.of("rotate", "a", "b"), List.of("list", "x"));
        for (List<String> args : bad) {
            assertEquals(2, run(args.toArray(String[]::new)), args.toString());
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("usage: credential"), err);
            assertEquals("", out);
        }
        try (var entries = Files.list(dir)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void badRoleNamesTheAllowedRoles() {
        assertEquals(2, run("add", "alice", "--role=root"));
        assertTrue(err.contains("\"root\"") && err.contains("user, auditor, recorder, admin"), err);
    }

    @Test
    void listPrintsNameRoleAndCreatedButNoHashes() throws IOException {
        run("add", "alice", "--role", "auditor");
        assertEquals(0, run("list"));
        List<String> lines = outLines();
        assertEquals(List.of("NAME", "ROLE", "CREATED"), List.of(lines.get(0).split("\\s+")));
        assertTrue(lines.get(1).matches("admin\\s+admin\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z"), lines.get(1));
        assertTrue(lines.get(2).matches("alice\\s+auditor\\s+\\S+Z"), lines.get(2));
        assertEquals(3, lines.size());
        for (Credential c : CredentialStore.open(dir, PRESET).list()) {
            assertFalse(out.contains(c.keyHash()), out);
        }
    }

    @Test
    void rotatePrintsANewKeyAndTheOldOneStopsWorking() throws IOException {
        run("add", "alice");
        String oldKey = lastLine();
        assertEquals(0, run("rotate", "alice"));
        String newKey = lastLine();
        assertTrue(newKey.matches("[0-9a-f]{40}"), out);
        assertEquals(2, outLines().size());
        assertEquals("alice", authenticate("ApiKey alice:" + newKey).name());
        assertFalse(assertThrows(AuthException.class,
                () -> authenticate("ApiKey alice:" + oldKey)).missing());
    }

    @Test
    void removeAndRotateOfAnUnknownNameExitWith1() {
        assertEquals(1, run("remove", "nobody"));
        assertTrue(err.contains("nobody"), err);
        assertEquals(1, run("rotate", "nobody"));
        assertEquals("", out);
    }

    @Test
    void removeDeletesTheCredential() throws IOException {
        run("add", "alice");
        String key = lastLine();
        assertEquals(0, run("remove", "alice"));
        assertEquals("removed credential alice", out.strip());
        assertThrows(AuthException.class, () -> authenticate("Token " + key));
    }

    @Test
    void firstRunOnAFreshDirectoryCreatesAdminAndSaysSoOnStderrWithoutTheKey() throws IOException {
        assertEquals(0, runWithPreset(null, "list"));
        String adminKey = Files.readString(dir.resolve("admin.key")).strip();
        assertTrue(err.contains("created credential admin") && err.contains("admin.key"), err);
        assertFalse(err.contains(adminKey) || out.contains(adminKey));
        assertEquals(0, runWithPreset(null, "list"));
        assertEquals("", err);
    }

    @Test
    void invalidPresetKeyExitsWith1NamingTheSetting() {
        assertEquals(1, runWithPreset("short", "list"));
        assertTrue(err.contains("auth.admin_key"), err);
    }
}
