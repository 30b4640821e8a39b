package io.actionlog.integrity;

import io.actionlog.auth.Role;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntegrityRoutesTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;
    static Client auditor;
    static Client alice;
    private final MessageDigest sha = Merkle.sha256();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        recorder = server.addUser("rec", Role.RECORDER);
        auditor = server.addUser("aud", Role.AUDITOR);
        alice = server.addUser("alice", Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String recordAndChange(String user) {
        String uri = recorder.record(new JsonObject().put("action", "Create VM").put("user", user)
                .put("metadata", new JsonObject().put("z", 1).put("a", new JsonArray().add("é\n")))).getString("resource_uri");
        assertEquals(200, recorder.patch(uri, new JsonObject().put("state", "In progress")).status());
        assertEquals(200, recorder.postText(uri + "logs/", "booting\n").status(), "log append");
        return uri;
    }

    private VerifierKey key() {
        Client.Response r = server.withHeader(null).get("/api/v1/integrity/key/");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain"));
        return VerifierKey.parse(r.body().trim());
    }

    @Test
    void checkpointAndKeyArePublicAndTheSignatureChecks() {
        recordAndChange("bob");
        Client.Response r = server.withHeader(null).get("/api/v1/integrity/checkpoint/");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain"));
        Checkpoint c = Checkpoint.parse(r.body());
        assertEquals("actionlog", c.origin());
        assertTrue(c.signedBy(key()), r.body());
    }

    @Test
    void proofOfEveryEntryOfAnActionVerifiesAgainstItsSignedCheckpoint() {
        String uri = recordAndChange("alice");
        JsonObject proof = alice.get(uri + "proof/").json();
        assertEquals(List.of("created", "state", "log"), provenLeafTypes(proof, uri.split("/")[4]));
    }

    @Test
    void actionsIngestedInBulkHaveProofsThatVerify() {
        // Texts with escapes and non-ASCII, metadata to sort, several parents, ids of more than one digit: each
        // line's leaf as the writer hashed it must be the leaf the proof recomputes from the journal.
        List<String> uuids = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            uuids.add(java.util.UUID.randomUUID().toString());
            lines.append(new JsonObject().put("uuid", uuids.get(i)).put("action", "Bulk \"" + i + "\"")
                    .put("user", "alice").put("body", new JsonObject().put("k", "v\u00e9\t" + i))
                    .put("error", i % 2 == 0 ? "" : "é\n").put("state", i % 3 == 0 ? "Success" : "Pending")
                    .put("metadata", new JsonObject().put("z", i).put("a", "x"))
                    .put("parents", new JsonArray().add("/p/" + i + "/").add("/p/\u20ac/")).encode()).append('\n');
        }
        JsonObject r = recorder.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/action/bulk/", lines.toString(),
                "application/x-ndjson").json();
        assertEquals(12, r.getInteger("accepted"), r.encode());
        for (String uuid : uuids) {
            JsonObject proof = alice.get("/api/v1/action/" + uuid + "/proof/").json();
            assertEquals(List.of("created"), provenLeafTypes(proof, uuid));
        }
    }

    /** Checks every entry of a proof against its signed checkpoint; returns the entries' leaf types. */
    private List<String> provenLeafTypes(JsonObject proof, String uuid) {
        Checkpoint c = Checkpoint.parse(proof.getString("checkpoint"));
        assertTrue(c.signedBy(key()));
        assertEquals(c.size(), proof.getLong("tree_size"));
        assertArrayEquals(c.root(), Base64.getDecoder().decode(proof.getString("root_hash")));
        JsonArray entries = proof.getJsonArray("entries");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.getJsonObject(i);
            byte[] leaf = e.getString("leaf").getBytes(StandardCharsets.UTF_8);
            byte[] leafHash = Merkle.leafHash(sha, leaf);
            assertArrayEquals(leafHash, Base64.getDecoder().decode(e.getString("leaf_hash")));
            List<byte[]> path = e.getJsonArray("audit_path").stream()
                    .map(h -> Base64.getDecoder().decode((String) h)).toList();
            assertTrue(ProofCheck.inclusion(e.getLong("leaf_index"), c.size(), leafHash, path, c.root()), e.encode());
            JsonObject leafJson = new JsonObject(e.getString("leaf"));
            assertEquals(uuid, leafJson.getString("uuid"));
            types.add(leafJson.getString("type"));
        }
        return types;
    }

    @Test
    void leafIsCanonicalJsonWithTheDetailViewsNamesAndMicrosecondDates() {
        String uri = recordAndChange("alice");
        String leaf = alice.get(uri + "proof/").json().getJsonArray("entries").getJsonObject(0).getString("leaf");
        JsonObject detail = alice.get(uri).json();
        JsonObject parsed = new JsonObject(leaf);
        assertEquals(List.copyOf(new java.util.TreeSet<>(parsed.fieldNames())), new ArrayList<>(parsed.fieldNames()),
                "members in sorted order: " + leaf);
        assertTrue(parsed.getString("start_date").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), leaf);
        for (String name : List.of("action", "body", "id", "ip", "is_user_action", "location", "method", "object",
                "parents", "path", "recorded_by", "user", "user_agent", "uuid")) {
            assertEquals(detail.getValue(name), parsed.getValue(name), name);
        }
        assertTrue(leaf.contains("\"metadata\":{\"a\":[\"é\\n\"],\"z\":1}"), leaf);
        assertTrue(!leaf.contains("\": ") && !leaf.contains(", \""), "no whitespace between members: " + leaf);
    }

    @Test
    void proofIsForWhoeverMayReadTheAction() {
        String uri = recordAndChange("bob");
        assertEquals(404, alice.get(uri + "proof/").status());
        assertEquals(200, auditor.get(uri + "proof/").status());
        assertEquals(401, server.withHeader(null).get(uri + "proof/").status());
    }

    @Test
    void treeSizeAsksForAnEarlierCheckpointAndIsRefusedWhenItCannot() {
        String uri = recordAndChange("alice");
        long size = alice.get(uri + "proof/").json().getLong("tree_size");
        String later = recordAndChange("alice");
        JsonObject again = alice.get(uri + "proof/?tree_size=" + size).json();
        assertEquals(size, again.getLong("tree_size"));
        Client.Response below = alice.get(later + "proof/?tree_size=" + size);
        assertEquals(400, below.status());
        assertTrue(below.body().contains("tree_size"), below.body());
        Client.Response none = alice.get(uri + "proof/?tree_size=" + (size * 1000));
        assertEquals(404, none.status());
        assertEquals(400, alice.get(uri + "proof/?tree_size=x").status());
    }

    @Test
    void consistencyProofLinksTwoSignedCheckpoints() {
        String uri = recordAndChange("alice");
        Checkpoint first = Checkpoint.parse(alice.get(uri + "proof/").json().getString("checkpoint"));
        String later = recordAndChange("alice");
        Checkpoint second = Checkpoint.parse(alice.get(later + "proof/").json().getString("checkpoint"));
        Client.Response r = auditor.get("/api/v1/integrity/consistency/?first=" + first.size() + "&second="
                + second.size());
        assertEquals(200, r.status(), r.body());
        List<byte[]> proof = r.json().getJsonArray("proof").stream()
                .map(h -> Base64.getDecoder().decode((String) h)).toList();
        assertTrue(ProofCheck.consistency(first.size(), second.size(), proof, first.root(), second.root()));
    }

    @Test
    void consistencyIsForAuditorsAndAdminsAndNamesABadParameter() {
        recordAndChange("alice");
        Client.Response refused = alice.get("/api/v1/integrity/consistency/?first=1&second=2");
        assertEquals(405, refused.status(), "as a backup for the same role: the contract's errors have no 403");
        assertEquals("", refused.header("Allow"), "no method of it is the user's");
        assertEquals(200, server.admin().get("/api/v1/integrity/consistency/?first=1&second=2").status());
        Client.Response badFirst = auditor.get("/api/v1/integrity/consistency/?first=0&second=2");
        assertEquals(400, badFirst.status());
        assertTrue(badFirst.json().getString("error").startsWith("first:"), badFirst.body());
        Client.Response badSecond = auditor.get("/api/v1/integrity/consistency/?first=1&second=99999999");
        assertEquals(400, badSecond.status());
        assertTrue(badSecond.json().getString("error").startsWith("second:"), badSecond.body());
        assertEquals(400, auditor.get("/api/v1/integrity/consistency/?second=2").status());
    }
}
