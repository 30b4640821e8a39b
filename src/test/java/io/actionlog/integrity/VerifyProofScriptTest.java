package io.actionlog.integrity;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    static Path keyFile;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath("python3") && onPath("openssl"), "python3 and openssl are needed to run verify-proof.py");
        server = TestServer.start(dir);
        Client rec = server.addUser("rec", Role.RECORDER);
        alice = server.addUser("alice", Role.USER);
        uri = rec.record(new JsonObject().put("action", "Delete bucket").put("user", "alice")
                .put("body", "{\"name\":\"ünïcode \\\"quoted\\\"\"}")).getString("resource_uri");
        rec.patch(uri, new JsonObject().put("state", "Success"));
        keyFile = work.resolve("verifier.key");
        Files.writeString(keyFile, server.withHeader(null).get("/api/v1/integrity/key/").body());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    private static String[] script(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "scripts/verify-proof.py", "--key", keyFile.toString()));
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private record Run(int code, String out) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script finished");
        return new Run(p.exitValue(), out);
    }

    private static Path proofFile(JsonObject proof) throws IOException {
        Path file = Files.createTempFile(work, "proof", ".json");
        Files.writeString(file, proof.encode());
        return file;
    }

    @Test
    void aServedProofChecksFromAFile() throws Exception {
        Run r = run(script(proofFile(alice.get(uri + "proof/").json()).toString()));
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("OK: 2 entries of action " + uri.split("/")[4]), r.out());
    }

    @Test
    void aServedProofChecksFromItsUrl() throws Exception {
        String url = "http://127.0.0.1:" + server.port() + uri + "proof/";
        Run r = run(script("--header", "Authorization: ApiKey alice:" + server.key("alice"), url));
        assertEquals(0, r.code(), r.out());
    }

    @Test
    void aChangedLeafTextFails() throws Exception {
        JsonObject proof = alice.get(uri + "proof/").json();
        JsonObject first = proof.getJsonArray("entries").getJsonObject(0);
        first.put("leaf", first.getString("leaf").replace("Delete bucket", "Create bucket"));
        Run r = run(script(proofFile(proof).toString()));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: leaf " + first.getLong("leaf_index") + ": leaf_hash"), r.out());
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
        Run r = run(script(proofFile(proof).toString()));
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
        Run r = run(script(proofFile(proof).toString()));
        assertEquals(1, r.code());
        assertTrue(r.out().contains("FAILED: checkpoint: the signature of key actionlog does not verify"), r.out());
    }
}
