package io.actionlog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server audits its own credentials: every change the command line makes, and the bootstrap admin, becomes one
 * action in the journal (user and recorded_by {@code cli} or {@code actionlog}), never with the key or its hash.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CredentialAuditTest {
    private static final Map<String, String> JOURNAL = Map.of("audit.credential_changes", "journal");

    @TempDir
    Path dir;

    @Test
    void changesMadeWhileTheServerRunsBecomeActionsWithoutTheKey() throws Exception {
        List<String> logged = captureLog();
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            Client auditor = server.addUser("eve", Role.AUDITOR);
            String added = cli("add", "alice", "--role", "user").lastLine();
            String rotated = cli("rotate", "alice", "--role", "auditor").lastLine();
            assertEquals(0, cli("remove", "alice").code());

            List<JsonObject> rows = await(auditor, "?object=/credentials/alice/&order_by=id", 3);
            assertEquals(List.of("Credential Add", "Credential Rotate", "Credential Remove"),
                    rows.stream().map(r -> r.getString("action")).toList());
            for (JsonObject row : rows) {
                assertEquals(4, java.util.UUID.fromString(row.getString("uuid")).version(), "v4, as the contract's");
                assertEquals(2, java.util.UUID.fromString(row.getString("uuid")).variant());
                assertEquals("cli", row.getString("user"));
                assertEquals("cli", row.getString("recorded_by"));
                assertEquals("Success", row.getString("state"));
                assertTrue(row.getBoolean("is_user_action"));
                assertFalse(row.getString("end_date") == null);
            }
            assertEquals(List.of(new JsonObject().put("role", "user"),
                    new JsonObject().put("role", "auditor").put("previous_role", "user"),
                    new JsonObject().put("role", "auditor")), rows.stream().map(r ->
                    auditor.get(r.getString("resource_uri")).json().getJsonObject("metadata")).toList());
            assertEquals(List.of("credential eve added by cli (role auditor)",
                    "credential alice added by cli (role user)",
                    "credential alice rotated by cli (role auditor, was user)",
                    "credential alice removed by cli (role auditor)"), logged.subList(1, 5));

            String everything = auditor.get("/api/v1/action/?limit=0").body();
            for (String key : List.of(added, rotated, server.key("eve"))) {
                assertFalse(everything.contains(key) || everything.contains(sha256(key)), "a key in the list");
                assertFalse(journalText().contains(key) || journalText().contains(sha256(key)), "a key in the journal");
            }
            assertEquals("", Files.readString(dir.resolve(CredentialChangeLog.FILE)).lines().skip(1)
                    .reduce("", String::concat), "recorded changes are trimmed from the change log");
        }
    }

    @Test
    void theBootstrapAdminIsRecordedOnceAndChangesWhileStoppedAtTheNextStart() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            List<JsonObject> admin = rows(server.admin(), "?object=/credentials/admin/");
            assertEquals(1, admin.size());
            assertEquals("actionlog", admin.get(0).getString("user"));
            assertEquals("actionlog", admin.get(0).getString("recorded_by"));
            assertEquals("Credential Add", admin.get(0).getString("action"));

            server.restart(() -> assertEquals(0, cli("add", "bob").code()));

            assertEquals(1, rows(server.admin(), "?object=/credentials/admin/").size(), "not again at a restart");
            List<JsonObject> bob = rows(server.admin(), "?object=/credentials/bob/");
            assertEquals(1, bob.size(), "recorded before the port opens");
            assertEquals("cli", bob.get(0).getString("user"));
        }
    }

    @Test
    void aCrashBetweenRecordingAndTrimmingRecordsEachChangeOnce() throws Exception {
        Path changeLog = dir.resolve(CredentialChangeLog.FILE);
        byte[][] untrimmed = new byte[1][];
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            server.restart(() -> {
                assertEquals(0, cli("add", "carol").code());
                assertEquals(0, cli("rotate", "carol").code());
                untrimmed[0] = Files.readAllBytes(changeLog);
            });
            assertEquals(2, rows(server.admin(), "?object=/credentials/carol/").size());

            server.restart(() -> Files.write(changeLog, untrimmed[0]));

            assertEquals(2, rows(server.admin(), "?object=/credentials/carol/").size(), "recorded again, not twice");
            assertEquals(3, rows(server.admin(), "?user=cli").size() + rows(server.admin(), "?user=actionlog").size());
            assertEquals(1, Files.readAllLines(changeLog).size(), "trimmed again");
        }
    }

    @Test
    void theNamesAuditActionsAreRecordedUnderCannotBeCredentials() throws Exception {
        try (TestServer server = TestServer.start(dir, JOURNAL)) {
            for (String reserved : List.of("cli", "actionlog")) {
                Cli refused = cli("add", reserved, "--role", "user");
                assertEquals(1, refused.code(), refused.err());
                assertTrue(refused.err().contains("the name " + reserved + " is reserved"), refused.err());
            }
            assertTrue(cli("list").out().lines().noneMatch(l -> l.startsWith("cli ") || l.startsWith("actionlog ")));
        }
    }

    private Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of("credential"));
        all.addAll(List.of(args));
        all.addAll(List.of("--data-dir", dir.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    private static List<JsonObject> rows(Client client, String query) {
        Client.Response r = client.get("/api/v1/action/" + query);
        assertEquals(200, r.status(), r.body());
        JsonArray objects = r.json().getJsonArray("objects");
        List<JsonObject> rows = new ArrayList<>();
        objects.forEach(o -> rows.add((JsonObject) o));
        return rows;
    }

    /** The server records a change within its reload period: poll for it rather than sleep through it. */
    private static List<JsonObject> await(Client client, String query, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonObject> rows = rows(client, query);
        while (rows.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            rows = rows(client, query);
        }
        assertEquals(count, rows.size(), rows.toString());
        return rows;
    }

    private String journalText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("journal"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    private static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> captureLog() {
        return io.actionlog.support.LogCapture.of("io.actionlog.server.CredentialAudit").messages();
    }
}
