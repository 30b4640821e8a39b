package io.actionlog.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.integrity.JournalEdits;
import io.actionlog.support.Browser;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The detail's tamper-evidence panel in a real browser: a served proof verifies with Web Crypto, and an action
 * changed in the journal on disk does not; an action of more entries than a page holds is verified page by page,
 * and a later page answered otherwise than served is caught; the viewer's verifier (proof.js), given the served
 * proof with one thing changed, names that thing; a browser without Ed25519 says it could not check; and a user who
 * may not read an action never fetches its proof.
 */
class ViewerProofTest {
    /** Imports the viewer's verifier and checks the proof given (as JSON text); optionally a Web Crypto without Ed25519. */
    private static final String VERIFY = "const [proof, key, uuid, withoutEd25519, done] = arguments;"
            + "import('/viewer/proof.js').then(async (m) => {"
            + "  const subtle = withoutEd25519 ? { digest: (a, d) => crypto.subtle.digest(a, d),"
            + "    importKey: () => Promise.reject(new DOMException('Ed25519 is not supported', 'NotSupportedError')),"
            + "    verify: () => Promise.reject(new Error('not reached')) } : crypto.subtle;"
            + "  done(JSON.stringify(await m.verifyProof(JSON.parse(proof), key, uuid, { subtle })));"
            + "}).catch((e) => done(JSON.stringify({ status: 'threw', reason: String(e) })));";

    @TempDir
    static Path dir;
    static TestServer server;
    static Browser browser;
    static ViewerPage page;
    static Client admin;
    static Client alice;
    /** Alice's action: created running, a log line appended, then finished: three entries in the tree. */
    static String uuid;
    /** Alice's action whose body was changed in the journal while the server was stopped. */
    static String changed;
    static final String LEDGER = "pay 100 to carol";
    /** Alice's action of more entries than one page of its proof holds: created, then LONG_LOGS log appends. */
    static String longJob;
    static final int LONG_LOGS = 1000;
    /** A signed checkpoint's size that covers the long job's first entry only. */
    static long earlyTreeSize;
    static String verifierKey;
    /**
     * Installed in the page before the viewer's scripts: the viewer's requests for proofs are answered by
     * {@code serve(url, init, fetch)}, given as the body of an async function; the rest go to the server.
     */
    private static final String SERVE_PROOFS = "(() => { const fetch = window.fetch;"
            + "  const serve = async (url, init, fetch) => { %s };"
            + "  window.fetch = (url, init) => String(url).includes('/proof/') ? serve(String(url), init, fetch)"
            + "    : fetch(url, init); })();";
    /** A proof page as a Response. */
    private static final String RESPOND = "const respond = (body) => new Response(JSON.stringify(body),"
            + " { headers: { 'Content-Type': 'application/json' } });";

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        server = TestServer.start(dir);
        admin = server.admin();
        server.addUser("alice", Role.USER);
        admin.record(new JsonObject().put("action", "Someone Else's").put("user", "bob"));
        uuid = admin.record(new JsonObject().put("action", "Bucket Delete").put("user", "alice")
                .put("state", "In progress")).getString("uuid");
        admin.postText("/api/v1/action/" + uuid + "/logs/", "emptying the bucket\n");
        admin.patch("/api/v1/action/" + uuid + "/", new JsonObject().put("state", "Success"));
        changed = admin.record(new JsonObject().put("action", "Payment").put("user", "alice").put("state", "Success")
                .put("body", LEDGER)).getString("uuid");
        // What someone with write access to the stopped server's data directory could do: one byte of the body
        // changed, the entry's checksum recomputed. The tree and the signed checkpoints are left as they were.
        server.restart(() -> JournalEdits.changeByteOfText(dir.resolve("journal"), LEDGER));
        admin = server.admin();
        alice = server.as("alice");
        Client recorder = server.addUser("rec", Role.RECORDER);
        longJob = recorder.record(new JsonObject().put("action", "Long job").put("user", "alice")).getString("uuid");
        String uri = "/api/v1/action/" + longJob + "/";
        earlyTreeSize = alice.get(uri + "proof/").json().getLong("tree_size");
        for (int i = 0; i < LONG_LOGS; i++) {
            assertEquals(200, recorder.postText(uri + "logs/", "line " + i + "\n").status());
        }
        verifierKey = server.withHeader(null).get("/api/v1/integrity/key/").body();
        page = new ViewerPage(browser, server.port());
    }

    @AfterAll
    static void stop() {
        ViewerPage.close(browser, server);
    }

    private static JsonObject servedProof() {
        JsonObject proof = alice.get("/api/v1/action/" + uuid + "/proof/").json();
        assertEquals(3, proof.getJsonArray("entries").size(), proof.encode());
        return proof;
    }

    /** The viewer's verdict on {@code proof} for alice's action, computed in the browser. */
    private static JsonObject verify(JsonObject proof, boolean withoutEd25519) {
        browser.open(page.base() + "/");
        Object r = ((JavascriptExecutor) browser.driver()).executeAsyncScript(VERIFY, proof.encode(), verifierKey,
                uuid, withoutEd25519);
        return new JsonObject((String) r);
    }

    private static void assertFailed(JsonObject verdict, String check, String words) {
        assertEquals("failed", verdict.getString("status"), verdict.encode());
        assertEquals(check, verdict.getJsonArray("problems").getJsonObject(0).getString("check"), verdict.encode());
        assertTrue(verdict.getString("reason").contains(words), verdict.encode());
    }

    private static byte[] flipped(String base64, int at) {
        byte[] b = Base64.getDecoder().decode(base64);
        b[at] ^= 1;
        return b;
    }

    /**
     * Opens alice's detail of {@code action} with the viewer's proof requests answered by {@code serve} (see
     * {@link #SERVE_PROOFS}), and waits for the panel's verdict; returns the result element.
     */
    private static WebElement proofShownWith(String action, String serve) {
        ChromeDriver chrome = (ChromeDriver) browser.driver();
        Object id = chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", String.format(SERVE_PROOFS, serve))).get("identifier");
        try {
            return proofShown(action);
        } finally {
            chrome.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
    }

    /** Opens alice's detail of {@code action} and waits for the panel's verdict; returns the result element. */
    private static WebElement proofShown(String action) {
        page.signInAndList("alice", server.key("alice"));
        browser.open(page.base() + "/?open=" + action);
        WebElement result = browser.find(By.id("proof-result"));
        // A long action's proof is a thousand audit paths hashed in the page: more than the usual wait on a busy host.
        browser.until(Duration.ofSeconds(60), d -> {
            String s = result.getAttribute("data-proof");
            return s != null && !s.isEmpty() && !s.equals("checking");
        });
        return result;
    }

    /** The addresses of the proof requests the page made, in order. */
    @SuppressWarnings("unchecked")
    private static List<String> proofRequests() {
        return (List<String>) browser.script("return performance.getEntriesByType('resource')"
                + ".map(e => e.name).filter(n => n.includes('/proof/'))");
    }

    private static List<WebElement> problems(String check) {
        return browser.driver().findElements(By.cssSelector("#proof-problems li[data-check=" + check + "]"));
    }

    @Test
    void anActionsDetailShowsItsProofVerified() {
        page.signInAndList("alice", server.key("alice"));
        browser.open(page.base() + "/?open=" + uuid);
        WebElement result = browser.find(By.id("proof-result"));
        String status = browser.until(d -> {
            String s = result.getAttribute("data-proof");
            return s == null || s.isEmpty() || s.equals("checking") ? null : s;
        });
        assertEquals("verified", status, result.getText());
        String size = result.getAttribute("data-tree-size");
        assertTrue(result.getText().startsWith("✓ Verified: its 3 entries are in the tree of "), result.getText());
        assertTrue(result.getText().contains(" leaves of actionlog, whose checkpoint is signed by key actionlog (id "),
                result.getText());
        // The size the browser checked is a signed checkpoint of the server's, covering all three entries.
        JsonObject same = alice.get("/api/v1/action/" + uuid + "/proof/?tree_size=" + size).json();
        assertEquals(3, same.getJsonArray("entries").size());
        browser.find(By.cssSelector("#proof summary")).click();
        String command = browser.find(By.id("proof-command")).getText();
        assertTrue(command.contains("scripts/verify-proof.py --key actionlog.pub")
                && command.contains("\"Authorization: ApiKey alice:$ACTIONLOG_KEY\"")
                && command.contains(page.base() + "/api/v1/action/" + uuid + "/proof/?tree_size=" + size), command);
        assertFalse(command.contains(server.key("alice")), "the key itself is never shown");
    }

    @Test
    void anActionChangedInTheJournalShowsNotVerifiedWithItsRootMismatch() {
        page.signInAndList("alice", server.key("alice"));
        browser.open(page.base() + "/?open=" + changed);
        browser.until(d -> d.findElement(By.cssSelector("[data-field=body] dd")).getText().equals("pay 100 to carom"));
        WebElement result = browser.find(By.id("proof-result"));
        browser.until(d -> "failed".equals(result.getAttribute("data-proof")));
        assertTrue(result.getText().startsWith("✗ Not verified: entry 1 (leaf "), result.getText());
        assertTrue(result.getText().endsWith("the audit path leads to a root other than the checkpoint's (root mismatch)."),
                result.getText());
        assertEquals(1, browser.driver().findElements(By.cssSelector("#proof-problems li[data-check=root]")).size());
    }

    @Test
    void aTamperedLeafIsNamedAsTheLeafHashOfItsEntry() {
        JsonObject proof = servedProof();
        JsonObject second = proof.getJsonArray("entries").getJsonObject(1);
        second.put("leaf", second.getString("leaf").replace("emptying", "keeping"));
        assertFailed(verify(proof, false), "leaf-hash",
                "entry 2 (leaf " + second.getLong("leaf_index") + "): the leaf hash is not SHA-256(0x00 || leaf)");
    }

    /** Each entry left still checks on its own; the action's first one being gone is what gives it away. */
    @Test
    void aProofWithoutTheActionsCreationIsNotVerified() {
        JsonObject proof = servedProof();
        JsonObject second = proof.getJsonArray("entries").getJsonObject(1);
        proof.getJsonArray("entries").remove(0);
        assertFailed(verify(proof, false), "entries", "the oldest entry, leaf " + second.getLong("leaf_index")
                + ", is a \"log\" entry, not the action's creation");
    }

    @Test
    void aWrongAuditPathHashIsNamedAsARootMismatch() {
        JsonObject proof = servedProof();
        JsonObject first = proof.getJsonArray("entries").getJsonObject(0);
        JsonArray path = first.getJsonArray("audit_path");
        assertFalse(path.isEmpty(), "the tree has more than one leaf");
        path.set(0, Base64.getEncoder().encodeToString(flipped(path.getString(0), 0)));
        assertFailed(verify(proof, false), "root",
                "entry 1 (leaf " + first.getLong("leaf_index") + "): the audit path leads to a root other than the "
                        + "checkpoint's (root mismatch)");
    }

    @Test
    void aBadSignatureIsNamedAsTheSignature() {
        JsonObject proof = servedProof();
        String note = proof.getString("checkpoint");
        int at = note.indexOf("\u2014 actionlog ") + "\u2014 actionlog ".length();
        String signature = note.substring(at, note.indexOf('\n', at));
        // Byte 10 is within the Ed25519 signature (the first 4 bytes are the key id): the note is unchanged.
        String bad = Base64.getEncoder().encodeToString(flipped(signature, 10));
        proof.put("checkpoint", note.replace(signature, bad));
        JsonObject verdict = verify(proof, false);
        assertFailed(verdict, "signature", "the checkpoint's signature by key actionlog (id ");
        assertTrue(verdict.getString("reason").endsWith(") does not verify"), verdict.encode());
        assertEquals(1, verdict.getJsonArray("problems").size(), "only the signature fails: " + verdict.encode());
    }

    @Test
    void aLeafOfAnotherActionIsNamed() {
        String other = admin.record(new JsonObject().put("action", "Other").put("user", "alice")).getString("uuid");
        JsonObject proof = alice.get("/api/v1/action/" + other + "/proof/").json();
        JsonObject verdict = verify(proof, false);
        assertFailed(verdict, "uuid", "entry 1 (leaf ");
        assertTrue(verdict.getString("reason").endsWith("the leaf is of action " + other + ", not of " + uuid),
                verdict.encode());
    }

    @Test
    void aBrowserWithoutEd25519SaysItCouldNotCheckAndNeverVerified() {
        JsonObject verdict = verify(servedProof(), true);
        assertEquals("unavailable", verdict.getString("status"), verdict.encode());
        assertTrue(verdict.getString("reason").startsWith("this browser's Web Crypto does not check Ed25519 signatures"),
                verdict.encode());
    }

    @Test
    void aUserWhoMayNotReadTheActionNeverGetsAProof() {
        String foreign = admin.record(new JsonObject().put("action", "Admin Only").put("user", "carol")).getString("uuid");
        assertEquals(404, alice.get("/api/v1/action/" + foreign + "/proof/").status());
        page.signInAndList("alice", server.key("alice"));
        browser.open(page.base() + "/?open=" + foreign);
        browser.until(d -> d.findElement(By.id("detail-title")).getText().equals("No such action"));
        assertFalse(browser.find(By.id("proof")).isDisplayed(), "no proof panel for an action she may not read");
        assertEquals(0L, browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/proof/')).length"), "the viewer never asked for the proof");
        assertEquals("", browser.find(By.id("proof-result")).getAttribute("data-proof"));
    }

    @Test
    void anActionOfMoreEntriesThanAPageHoldsIsVerifiedPageByPageAgainstTheFirstPagesCheckpoint() {
        WebElement result = proofShown(longJob);
        assertEquals("verified", result.getAttribute("data-proof"), result.getText());
        String size = result.getAttribute("data-tree-size");
        assertTrue(result.getText().startsWith("✓ Verified: its 1,001 entries are in the tree of "), result.getText());
        assertFalse(result.getText().contains("more entries than the viewer checks"), result.getText());
        // The first page is the newest against the latest checkpoint; the second is asked with the first's size.
        List<String> later = proofRequests().stream().filter(a -> a.contains("?")).toList();
        assertEquals(1, later.size(), later.toString());
        assertTrue(later.get(0).contains("/proof/?tree_size=" + size + "&before="), later.toString());
    }

    @Test
    void aChangedLeafOnALaterPageIsNamed() {
        WebElement result = proofShownWith(longJob, RESPOND + "const r = await fetch(url, init);"
                + "if (!url.includes('before=')) return r;"
                + "const body = await r.json();"
                + "body.entries[0].leaf = body.entries[0].leaf.replace('Long job', 'Short job');"
                + "return respond(body);");
        assertEquals("failed", result.getAttribute("data-proof"), result.getText());
        assertTrue(result.getText().startsWith("✗ Not verified: page 2, entry 1 (leaf "), result.getText());
        assertTrue(result.getText().contains("the leaf hash is not SHA-256(0x00 || leaf)"), result.getText());
        assertEquals(1, problems("leaf-hash").size());
    }

    @Test
    void aLaterPageAgainstAnotherCheckpointIsNotVerified() {
        // Every page on its own holds together: the later one is a real page, of an earlier signed checkpoint.
        WebElement result = proofShownWith(longJob, "return fetch(url.includes('before=')"
                + " ? url.replace(/tree_size=[0-9]+/, 'tree_size=" + earlyTreeSize + "') : url, init);");
        assertEquals("failed", result.getAttribute("data-proof"), result.getText());
        assertTrue(result.getText().contains("page 2: the checkpoint is of tree size " + earlyTreeSize
                + ", not the first page's " + result.getAttribute("data-tree-size")), result.getText());
        assertEquals(1, problems("tree-size").size());
    }

    @Test
    void aLaterPageThatRepeatsTheFirstIsNotVerified() {
        WebElement result = proofShownWith(longJob, RESPOND + "if (!url.includes('before=')) {"
                + "  window.firstPage = await (await fetch(url, init)).json(); return respond(window.firstPage); }"
                + "return respond(window.firstPage);");
        assertEquals("failed", result.getAttribute("data-proof"), result.getText());
        assertTrue(result.getText().startsWith("✗ Not verified: page 2: next_before "), result.getText());
        assertFalse(problems("entries").isEmpty());
    }

    @Test
    void aProofAskedForBeforeItsNewestEntryIsInTheTreeIsAskedAgain() {
        WebElement result = proofShownWith(uuid, "if (!window.refused) { window.refused = true;"
                + "  return new Response(JSON.stringify({ error: 'not in the tree yet' }),"
                + "    { status: 503, headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } }); }"
                + "return fetch(url, init);");
        assertEquals("verified", result.getAttribute("data-proof"), result.getText());
        assertTrue(result.getText().startsWith("✓ Verified: its 3 entries are"), result.getText());
    }

    @Test
    void aLeafIndexMustBeANonNegativeSafeIntegerNumber() {
        JsonObject served = servedProof();
        long leaf = served.getJsonArray("entries").getJsonObject(1).getLong("leaf_index");
        for (Object bad : List.of(Long.toString(leaf), "", "0x3", true, new JsonArray(), -1, 1.5, 9007199254740992L)) {
            JsonObject proof = served.copy();
            proof.getJsonArray("entries").getJsonObject(1).put("leaf_index", bad);
            assertFailed(verify(proof, false), "format", "entry 2: leaf_index ");
        }
    }

    @Test
    void entriesOutOfOrderOrRepeatedOnAPageAreNamed() {
        JsonObject swapped = servedProof();
        JsonArray entries = swapped.getJsonArray("entries");
        JsonObject first = entries.getJsonObject(0);
        entries.set(0, entries.getJsonObject(1));
        entries.set(1, first);
        assertFailed(verify(swapped, false), "entries", "entry 2 (leaf " + first.getLong("leaf_index")
                + "): it does not come after leaf ");
        JsonObject repeated = servedProof();
        repeated.getJsonArray("entries").add(repeated.getJsonArray("entries").getJsonObject(2).copy());
        assertFailed(verify(repeated, false), "entries", "entry 4 (leaf ");
    }

    @Test
    void aFieldThatIsNotBase64IsNamedAndTheRestStillChecked() {
        JsonObject proof = servedProof();
        JsonArray entries = proof.getJsonArray("entries");
        entries.getJsonObject(1).put("leaf_hash", "not base64!");
        entries.getJsonObject(2).getJsonArray("audit_path").set(0, "%%");
        JsonObject verdict = verify(proof, false);
        assertFailed(verdict, "format", "entry 2 (leaf " + entries.getJsonObject(1).getLong("leaf_index")
                + "): leaf_hash is not base64");
        JsonArray problems = verdict.getJsonArray("problems");
        assertEquals(2, problems.size(), "entry 1 checks, entry 3's path is named: " + verdict.encode());
        assertTrue(problems.getJsonObject(1).getString("text").endsWith("audit_path[0] is not base64"), verdict.encode());
    }
}
