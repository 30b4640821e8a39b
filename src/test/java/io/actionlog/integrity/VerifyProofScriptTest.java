package io.actionlog.integrity;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.Needs;
import io.actionlog.support.Script;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/verify-proof.py, the verifier that shares no code with the server, run on a live server's proof: it
 * accepts the proof as served (from a file and from the URL) and names what is wrong with a changed one. Needs
 * python3 and openssl on the PATH (both are on the build machines); without them the tests are reported skipped.
 */
class VerifyProofScriptTest {
    @TempDir
    static Path dir;
    @TempDir
    static Path work;
    static TestServer server;
    static Client alice;
    static String uri;
    /** An action whose proof takes several pages. */
    static String paged;
    static Path keyFile;

    @BeforeAll
    static void start() throws Exception {
        Needs.require("TOOLS", Script.onPath("python3") && Script.onPath("openssl"),
                "python3 and openssl are needed to run verify-proof.py");
        // Small pages, so that a few long log appends make a proof of several pages.
        server = TestServer.start(dir, Map.of("http.max_page_bytes", Integer.toString(16 << 10)));
        Client rec = server.addUser("rec", Role.RECORDER);
        alice = server.addUser("alice", Role.USER);
        uri = rec.record(new JsonObject().put("action", "Delete bucket").put("user", "alice")
                .put("body", "{\"name\":\"ünïcode \\\"quoted\\\"\"}")).getString("resource_uri");
        rec.patch(uri, new JsonObject().put("state", "Success"));
        paged = rec.record(new JsonObject().put("action", "Long job").put("user", "alice")).getString("resource_uri");
        for (int i = 0; i < 4; i++) {
            rec.postText(paged + "logs/", ("part " + i + " ").repeat(1_200) + "\n");
        }
        keyFile = work.resolve("verifier.key");
        Files.writeString(keyFile, server.withHeader(null).get("/api/v1/integrity/key/").body());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String[] script(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "scripts/verify-proof.py", "--key", keyFile.toString()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static Path proofFile(JsonObject proof) throws IOException {
        Path file = Files.createTempFile(work, "proof", ".json");
        Files.writeString(file, proof.encode());
        return file;
    }

    @Test
    void aServedProofChecksFromAFile() throws Exception {
        Script r = Script.run(script(proofFile(alice.get(uri + "proof/").json()).toString()));
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("OK: 2 entries of action " + uri.split("/")[4]), r.out());
    }

    @Test
    void aServedProofChecksFromItsUrl() throws Exception {
        String url = "http://127.0.0.1:" + server.port() + uri + "proof/";
        Script r = Script.run(script("--header", "Authorization: ApiKey alice:" + server.key("alice"), url));
        assertEquals(0, r.code(), r.out());
    }

    @Test
    void aChangedLeafTextFails() throws Exception {
        JsonObject proof = alice.get(uri + "proof/").json();
        JsonObject first = proof.getJsonArray("entries").getJsonObject(0);
        first.put("leaf", first.getString("leaf").replace("Delete bucket", "Create bucket"));
        Script r = Script.run(script(proofFile(proof).toString()));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: leaf " + first.getLong("leaf_index") + ": leaf_hash"), r.out());
    }

    /** Each entry left still checks on its own; the action's first one being gone is what gives it away. */
    @Test
    void aProofWithoutTheActionsCreationFails() throws Exception {
        JsonObject proof = alice.get(uri + "proof/").json();
        JsonObject second = proof.getJsonArray("entries").getJsonObject(1);
        proof.getJsonArray("entries").remove(0);
        Script r = Script.run(script(proofFile(proof).toString()));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("FAILED: the oldest entry, leaf " + second.getLong("leaf_index")
                + ", is a \"state\" entry, not the action's creation"), r.out());
    }

    @Test
    void aChangedAuditPathHashFails() throws Exception {
        JsonObject proof = alice.get(uri + "proof/").json();
        JsonObject first = proof.getJsonArray("entries").getJsonObject(0);
        JsonArray path = first.getJsonArray("audit_path");
        assertTrue(!path.isEmpty(), "the tree has more than one leaf");
        byte[] h = java.util.Base64.getDecoder().decode(path.getString(0));
        h[0] ^= 1;
        path.set(0, java.util.Base64.getEncoder().encodeToString(h));
        Script r = Script.run(script(proofFile(proof).toString()));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("the audit path does not lead to the checkpoint's root"), r.out());
    }

    @Test
    void aCheckpointWithAnotherRootFailsItsSignature() throws Exception {
        JsonObject proof = alice.get(uri + "proof/").json();
        Checkpoint c = Checkpoint.parse(proof.getString("checkpoint"));
        byte[] root = c.root().clone();
        root[0] ^= 1;
        String other = java.util.Base64.getEncoder().encodeToString(root);
        proof.put("checkpoint", proof.getString("checkpoint").replace(java.util.Base64.getEncoder()
                .encodeToString(c.root()), other)).put("root_hash", other);
        Script r = Script.run(script(proofFile(proof).toString()));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: checkpoint: the signature of key actionlog does not verify"), r.out());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private String auth() {
        return "Authorization: ApiKey alice:" + server.key("alice");
    }

    @Test
    void aProofOfSeveralPagesIsFollowedToItsFirstEntryFromItsUrl() throws Exception {
        JsonObject first = alice.get(paged + "proof/").json();
        assertTrue(first.getValue("next_before") != null, "more than one page: " + first.getJsonArray("entries").size());
        Script r = Script.run(script("--header", auth(), url(paged + "proof/")));
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("OK: 5 entries of action " + paged.split("/")[4]), r.out());
    }

    @Test
    void aSavedPageOrAStopAtMaxPagesIsPartialNotOk() throws Exception {
        Script saved = Script.run(script(proofFile(alice.get(paged + "proof/").json()).toString()));
        assertEquals(3, saved.code(), saved.out());
        assertTrue(saved.out().startsWith("PARTIAL: "), saved.out());
        assertTrue(saved.out().contains("&before="), saved.out());
        Script stopped = Script.run(script("--max-pages", "1", "--header", auth(), url(paged + "proof/")));
        assertEquals(3, stopped.code(), stopped.out());
    }

    @Test
    void aProofOfAnotherActionThanTheOneAskedForFails() throws Exception {
        Path file = proofFile(alice.get(uri + "proof/").json());
        Script r = Script.run(script("--uuid", paged.split("/")[4], file.toString()));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("is of action " + uri.split("/")[4] + ", not of " + paged.split("/")[4]), r.out());
    }

    @Test
    void aRedirectIsNotFollowedSoTheCredentialGoesNowhereElse() throws Exception {
        com.sun.net.httpserver.HttpServer redirect = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        redirect.createContext("/", x -> {
            x.getResponseHeaders().add("Location", url(uri + "proof/"));
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        redirect.start();
        try {
            Script r = Script.run(script("--header", auth(),
                    "http://127.0.0.1:" + redirect.getAddress().getPort() + uri + "proof/"));
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("answered 302, a redirect to " + url(uri + "proof/") + ": not followed"),
                    r.out());
        } finally {
            redirect.stop(0);
        }
    }

    @Test
    void whatCannotBeFetchedIsAFailureNamedNotATraceback() throws Exception {
        Script denied = Script.run(script("--header", "Authorization: ApiKey alice:wrong", url(uri + "proof/")));
        assertEquals(1, denied.code(), denied.out());
        assertTrue(denied.out().startsWith("FAILED: " + url(uri + "proof/") + " answered HTTP 401"), denied.out());
        Script tooLong = Script.run(script("--max-bytes", "100", "--header", auth(), url(uri + "proof/")));
        assertEquals(1, tooLong.code(), tooLong.out());
        assertTrue(tooLong.out().contains("longer than --max-bytes (100 bytes)"), tooLong.out());
        Script missing = Script.run(script(work.resolve("no-such-proof.json").toString()));
        assertEquals(1, missing.code(), missing.out());
        assertTrue(missing.out().startsWith("FAILED: cannot read "), missing.out());
    }

    @Test
    void aRefusedProofNamesTheServersReason() throws Exception {
        Script noCheckpoint = Script.run(script("--header", auth(), url(uri + "proof/?tree_size=999999")));
        assertEquals(1, noCheckpoint.code(), noCheckpoint.out());
        assertTrue(noCheckpoint.out().startsWith("FAILED: " + url(uri + "proof/?tree_size=999999")
                + " answered HTTP 404 Not Found: tree_size: no checkpoint of size 999999"), noCheckpoint.out());
        Script badSize = Script.run(script("--header", auth(), url(uri + "proof/?tree_size=-1")));
        assertEquals(1, badSize.code(), badSize.out());
        assertTrue(badSize.out().contains("answered HTTP 400 Bad Request: tree_size: expected a whole number"),
                badSize.out());
    }

    @Test
    void malformedProofsFailWithTheFieldNamed() throws Exception {
        JsonObject served = alice.get(uri + "proof/").json();
        Map<String, java.util.function.Consumer<JsonObject>> changes = new java.util.LinkedHashMap<>();
        changes.put("entries[0].leaf_index: not a whole number", p -> entry(p, 0).put("leaf_index", -1));
        changes.put("entries[1].leaf_index: not a whole number", p -> entry(p, 1).put("leaf_index", true));
        changes.put("the entries are not in journal order, each once",
                p -> p.getJsonArray("entries").set(1, entry(p, 0).copy()));
        changes.put("leaf_hash: not base64", p -> entry(p, 0).put("leaf_hash", entry(p, 0).getString("leaf_hash") + " "));
        changes.put("audit_path[0]: not in canonical base64", p -> entry(p, 0).getJsonArray("audit_path")
                .set(0, unusedBitSet(entry(p, 0).getJsonArray("audit_path").getString(0))));
        changes.put("entries: not a list", p -> p.put("entries", "none"));
        changes.put("checkpoint: not a string", p -> p.put("checkpoint", 5));
        changes.put("checkpoint: a malformed signature line", p -> p.put("checkpoint", p.getString("checkpoint")
                + "junk\n"));
        for (Map.Entry<String, java.util.function.Consumer<JsonObject>> c : changes.entrySet()) {
            JsonObject proof = served.copy();
            c.getValue().accept(proof);
            Script r = Script.run(script(proofFile(proof).toString()));
            assertEquals(1, r.code(), c.getKey() + ": " + r.out());
            assertTrue(r.out().startsWith("FAILED: ") && r.out().contains(c.getKey()), c.getKey() + ": " + r.out());
        }
    }

    /** The same 32 bytes in base64 with one of the last character's unused bits set: decodes, but not canonical. */
    private static String unusedBitSet(String hash) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char last = hash.charAt(42);
        return hash.substring(0, 42) + alphabet.charAt(alphabet.indexOf(last) ^ 1) + "=";
    }

    private static JsonObject entry(JsonObject proof, int i) {
        return proof.getJsonArray("entries").getJsonObject(i);
    }

    @Test
    void anOpensslThatCannotCheckIsNotReportedAsABadSignature() throws Exception {
        // python3 -S leaves site packages out (so the cryptography package too): the script falls back to openssl,
        // here a stand-in that fails the way an openssl before version 3 does.
        Path bin = Files.createDirectories(work.resolve("old-openssl"));
        Path openssl = bin.resolve("openssl");
        Files.writeString(openssl, "#!/bin/sh\necho 'pkeyutl: Unknown option: -rawin' >&2\nexit 1\n");
        assertTrue(openssl.toFile().setExecutable(true));
        List<String> command = new ArrayList<>(List.of(script(proofFile(alice.get(uri + "proof/").json()).toString())));
        command.add(1, "-S");
        Script r = Script.run(Map.of("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH")),
                command.toArray(String[]::new));
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("FAILED: cannot check an Ed25519 signature with this openssl"), r.out());
    }

    @Test
    void aBusyAnswerIsAskedAgainAfterTheWaitItNamesAFewTimes() throws Exception {
        byte[] proof = alice.get(uri + "proof/").body().getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer busy = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        busy.createContext("/", x -> {
            boolean serve = x.getRequestURI().getPath().contains(uri) && asked.incrementAndGet() > 2;
            x.getResponseHeaders().add("Retry-After", "0");
            x.sendResponseHeaders(serve ? 200 : 503, serve ? proof.length : -1);
            if (serve) {
                x.getResponseBody().write(proof);
            }
            x.close();
        });
        busy.start();
        try {
            String base = "http://127.0.0.1:" + busy.getAddress().getPort();
            Script r = Script.run(script(base + uri + "proof/"));
            assertEquals(0, r.code(), r.out());
            assertEquals(3, asked.get(), "two 503s, then the proof");
            Script never = Script.run(script(base + "/api/v1/action/" + paged.split("/")[4] + "/proof/"));
            assertEquals(1, never.code(), never.out());
            assertTrue(never.out().contains("answered HTTP 503 5 times"), never.out());
        } finally {
            busy.stop(0);
        }
    }
}
