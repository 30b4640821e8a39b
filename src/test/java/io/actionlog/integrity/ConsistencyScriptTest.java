package io.actionlog.integrity;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.Needs;
import io.actionlog.support.Script;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/verify-proof.py --since: an auditor who kept a checkpoint checks, from outside and without trusting the
 * server, that the log only grew since. A log that grew passes; a log under the same key that is not an extension of
 * the kept one (rolled back, rewritten at the same size, forked) fails, as does a changed proof or a forged kept
 * checkpoint. Needs python3 and openssl on the PATH, as {@link VerifyProofScriptTest}.
 */
class ConsistencyScriptTest {
    @TempDir
    static Path dir;
    @TempDir
    static Path work;
    static TestServer server;
    static Client rec;
    static Client auditor;
    static Path keyFile;
    /** A checkpoint kept while the log was young. */
    static Path kept;
    static long keptSize;

    @BeforeAll
    static void start() throws Exception {
        Needs.require("TOOLS", Script.onPath("python3") && Script.onPath("openssl"),
                "python3 and openssl are needed to run verify-proof.py");
        server = TestServer.start(dir);
        rec = server.addUser("rec", Role.RECORDER);
        auditor = server.addUser("audrey", Role.AUDITOR);
        keyFile = work.resolve("verifier.key");
        Files.writeString(keyFile, server.withHeader(null).get("/api/v1/integrity/key/").body());
        for (int i = 0; i < 3; i++) {
            record(rec, "early " + i);
        }
        kept = file("kept", signed(server, rec));
        keptSize = size(Files.readString(kept));
        // The fork test wants a kept tree of 2^k leaves, whose root starts the consistency path.
        assertEquals(1, Long.bitCount(keptSize), "kept size " + keptSize);
        for (int i = 0; i < 9; i++) {
            record(rec, "later " + i);
        }
        signed(server, rec);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String record(Client recorder, String action) {
        return recorder.record(new JsonObject().put("action", action).put("user", "alice")).getString("resource_uri");
    }

    /** A checkpoint that covers every entry so far: the one a proof of a new action is given against. */
    private static String signed(TestServer s, Client recorder) {
        String uri = record(recorder, "signed");
        return s.admin().get(uri + "proof/").json().getString("checkpoint");
    }

    private static long size(String checkpoint) {
        return Long.parseLong(checkpoint.split("\n")[1]);
    }

    private static Path file(String name, String text) throws Exception {
        Path file = Files.createTempFile(work, name, ".txt");
        Files.writeString(file, text);
        return file;
    }

    private static String url(TestServer s) {
        return "http://127.0.0.1:" + s.port() + "/";
    }

    private static String auth(TestServer s, String name) {
        return "Authorization: ApiKey " + name + ":" + s.key(name);
    }

    private static Script since(Path keptCheckpoint, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "scripts/verify-proof.py", "--key",
                keyFile.toString(), "--since", keptCheckpoint.toString()));
        command.addAll(List.of(args));
        return Script.run(command.toArray(String[]::new));
    }

    /** Another log signed with the same key and origin: what a rollback, a rewrite or a fork would serve. */
    private static TestServer underTheSameKey(Path other) throws Exception {
        TestServer s = TestServer.start(other, Map.of("integrity.key_file",
                dir.resolve("integrity/signing.key").toString()));
        s.addUser("audrey", Role.AUDITOR);
        return s;
    }

    @Test
    void aLogThatOnlyGrewExtendsTheKeptCheckpoint() throws Exception {
        Path saved = work.resolve("saved.checkpoint");
        Script r = since(kept, "--header", auth(server, "audrey"), "--save", saved.toString(), url(server));
        assertEquals(0, r.code(), r.out());
        String latest = server.withHeader(null).get("/api/v1/integrity/checkpoint/").body();
        assertTrue(r.out().startsWith("OK: the tree of " + size(latest) + " leaves of actionlog signed by actionlog "
                + "extends the kept one of " + keptSize + " leaves"), r.out());
        assertTrue(size(latest) > keptSize, latest);
        assertEquals(latest, Files.readString(saved), "the new checkpoint is kept for the next check");

        Script again = since(saved, "--header", auth(server, "audrey"), url(server));
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("extends the kept one of " + size(latest) + " leaves (0 proof hashes)"),
                again.out());
    }

    @Test
    void aSavedCheckpointAndProofCheckOfflineAndAChangedProofHashFails() throws Exception {
        String latest = server.withHeader(null).get("/api/v1/integrity/checkpoint/").body();
        JsonObject proof = auditor.get("/api/v1/integrity/consistency/?first=" + keptSize + "&second="
                + size(latest)).json();
        Path checkpoint = file("latest", latest);
        Script r = since(kept, "--consistency", file("proof", proof.encode()).toString(), checkpoint.toString());
        assertEquals(0, r.code(), r.out());

        JsonArray hashes = proof.getJsonArray("proof");
        for (int i = 0; i < hashes.size(); i++) {
            JsonObject changed = proof.copy();
            byte[] h = Base64.getDecoder().decode(hashes.getString(i));
            h[31] ^= 1;
            changed.getJsonArray("proof").set(i, Base64.getEncoder().encodeToString(h));
            Script bad = since(kept, "--consistency", file("changed", changed.encode()).toString(),
                    checkpoint.toString());
            assertEquals(1, bad.code(), bad.out());
            assertTrue(bad.out().startsWith("FAILED: the consistency proof from " + keptSize + " to " + size(latest)
                    + " leaves does not lead to"), bad.out());
        }
        Script none = since(kept, checkpoint.toString());
        assertEquals(1, none.code(), none.out());
        assertTrue(none.out().contains("--consistency FILE"), none.out());
    }

    @Test
    void aLogRolledBackBelowTheKeptCheckpointFails(@TempDir Path other) throws Exception {
        Path latest = file("latest", server.withHeader(null).get("/api/v1/integrity/checkpoint/").body());
        try (TestServer older = underTheSameKey(other)) {
            Client r2 = older.addUser("rec", Role.RECORDER);
            String served = signed(older, r2);
            assertTrue(size(served) < size(Files.readString(latest)), served);
            Script r = since(latest, "--header", auth(older, "audrey"), url(older));
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().startsWith("FAILED: the checkpoint of " + url(older) + "api/v1/integrity/checkpoint/ "
                    + "signs " + size(served) + " leaves, fewer than the kept one's"), r.out());
        }
    }

    @Test
    void aLogRewrittenAtTheKeptSizeFails(@TempDir Path other) throws Exception {
        try (TestServer rewritten = underTheSameKey(other)) {
            Client r2 = rewritten.addUser("rec", Role.RECORDER);
            // As many entries as the kept checkpoint signed, other ones: the last of them is signed's own.
            while (rewritten.admin().get("/health").json().getLong("journal_entries") < keptSize - 1) {
                record(r2, "rewritten");
            }
            assertEquals(keptSize, size(signed(rewritten, r2)));
            Script r = since(kept, "--header", auth(rewritten, "audrey"), url(rewritten));
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("signs another root for the same " + keptSize + " leaves as the kept one"),
                    r.out());
        }
    }

    @Test
    void aForkedLogThatGrewPastTheKeptCheckpointFails(@TempDir Path other) throws Exception {
        Path latest = file("latest", server.withHeader(null).get("/api/v1/integrity/checkpoint/").body());
        try (TestServer fork = underTheSameKey(other)) {
            Client r2 = fork.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 40; i++) {
                record(r2, "forked " + i);
            }
            assertTrue(size(signed(fork, r2)) > size(Files.readString(latest)));
            // A first tree of 2^k leaves and one of another size: the proof's path starts differently for each.
            for (Path k : List.of(kept, latest)) {
                long first = size(Files.readString(k));
                Script r = since(k, "--header", auth(fork, "audrey"), url(fork));
                assertEquals(1, r.code(), r.out());
                assertTrue(r.out().startsWith("FAILED: the consistency proof from " + first + " to "), r.out());
                assertTrue(r.out().contains("is not shown to extend the kept one of " + first + " (its history was "
                        + "rewritten or forked"), r.out());
            }
        }
    }

    @Test
    void aForgedKeptCheckpointFails() throws Exception {
        String note = Files.readString(kept);
        String[] lines = note.split("\n", -1);
        lines[1] = Long.toString(keptSize + 1);
        Script r = since(file("forged", String.join("\n", lines)), "--header", auth(server, "audrey"), url(server));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("the kept checkpoint") && r.out().contains("does not verify"), r.out());
    }

    @Test
    void savingThroughALinkReplacesTheFileItPointsToAndKeepsItsMode() throws Exception {
        Path real = work.resolve("kept-real");
        Files.copy(kept, real, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path link = work.resolve("kept-link");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, real);
        Script r = since(link, "--header", auth(server, "audrey"), "--save", link.toString(), url(server));
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertEquals(server.withHeader(null).get("/api/v1/integrity/checkpoint/").body(), Files.readString(real));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(real)));
        try (var left = Files.list(work)) {
            assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith(".checkpoint-")), "no scratch file");
        }
    }

    @Test
    void aServerThatIsNotHttpOrDripsItsHeadersFailsWithinTheTimeout() throws Exception {
        for (String answer : List.of("GARBAGE\r\n\r\n", "HTTP/1.1 200 OK\r\n")) {
            try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 8,
                    java.net.InetAddress.getLoopbackAddress())) {
                Thread fake = new Thread(() -> answerSlowly(listener, answer), "fake-server");
                fake.setDaemon(true);
                fake.start();
                // A header that never ends: without a bound on the whole request, the script would wait forever.
                Script r = since(kept, "--timeout", "2", "http://127.0.0.1:" + listener.getLocalPort() + "/");
                assertEquals(1, r.code(), r.out());
                assertTrue(r.out().startsWith("FAILED: cannot fetch ") && !r.out().contains("Traceback"), r.out());
            }
        }
    }

    /**
     * Answers each connection with {@code first}; after a status line, one more byte of a header line whenever the
     * client has sent nothing for 200 ms, until it closes the connection.
     */
    private static void answerSlowly(java.net.ServerSocket listener, String first) {
        while (!listener.isClosed()) {
            try (java.net.Socket s = listener.accept()) {
                s.getOutputStream().write(first.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.setSoTimeout(200);
                while (first.startsWith("HTTP/")) {
                    try {
                        if (s.getInputStream().read() < 0) {
                            break; // the script closed the connection
                        }
                    } catch (java.net.SocketTimeoutException quiet) {
                        s.getOutputStream().write('X');
                        s.getOutputStream().flush();
                    }
                }
            } catch (java.io.IOException e) {
                // the script went away, or the test closed the listener
            }
        }
    }

    @Test
    void withoutAnAuditorsCredentialTheScriptSaysWhatTheProofTakes() throws Exception {
        Script r = since(kept, url(server));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("answered HTTP 401") && r.out().contains("an auditor's or an admin's credential"),
                r.out());
    }
}
