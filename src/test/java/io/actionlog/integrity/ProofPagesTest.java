package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.index.Row;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An action's proof comes in pages that go back from its newest entry, each bounded in entries, in bytes of leaf
 * text and in links walked, whatever the action holds: following {@code next_before} gives every entry once.
 */
class ProofPagesTest {
    private static final int PAGE_BYTES = 256 << 10;
    @TempDir
    static Path dir;
    static TestServer server;
    static Client recorder;
    static Client alice;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, Map.of("http.max_page_bytes", Integer.toString(PAGE_BYTES)));
        recorder = server.addUser("rec", Role.RECORDER);
        alice = server.addUser("alice", Role.USER);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String record(String action) {
        return record(recorder, action);
    }

    private static String record(Client recorder, String action) {
        return recorder.record(new JsonObject().put("action", action).put("user", "alice")).getString("resource_uri");
    }

    private static void appendLogs(String uri, int count, int bytes) {
        appendLogs(recorder, uri, count, bytes);
    }

    private static void appendLogs(Client recorder, String uri, int count, int bytes) {
        for (int i = 0; i < count; i++) {
            String line = "line " + i + " " + "x".repeat(Math.max(0, bytes - 12)) + "\n";
            assertEquals(200, recorder.postText(uri + "logs/", line).status());
        }
    }

    private static List<JsonObject> pages(String uri, String firstQuery) {
        return pages(alice, uri, firstQuery);
    }

    /** Every page from the first, as served, with the tree size of the first for the later ones. */
    private static List<JsonObject> pages(Client reader, String uri, String firstQuery) {
        List<JsonObject> pages = new ArrayList<>();
        JsonObject page = reader.get(uri + "proof/" + firstQuery).json();
        pages.add(page);
        while (page.getValue("next_before") != null) {
            assertTrue(pages.size() < 100, "the pages end");
            page = reader.get(uri + "proof/?tree_size=" + page.getLong("tree_size") + "&before="
                    + page.getLong("next_before")).json();
            pages.add(page);
        }
        return pages;
    }

    /** The entries of all pages, oldest first, checking each page's order and that pages go back. */
    private static List<JsonObject> entries(List<JsonObject> pages) {
        List<JsonObject> all = new ArrayList<>();
        long bound = Long.MAX_VALUE;
        for (JsonObject page : pages) {
            List<JsonObject> these = new ArrayList<>();
            page.getJsonArray("entries").forEach(e -> these.add((JsonObject) e));
            for (int i = 0; i < these.size(); i++) {
                long leaf = these.get(i).getLong("leaf_index");
                assertTrue(leaf < bound, "pages go back: " + leaf);
                assertTrue(i == 0 || leaf > these.get(i - 1).getLong("leaf_index"), "a page is in journal order");
            }
            if (page.getValue("next_before") != null) {
                bound = page.getLong("next_before");
                these.forEach(e -> assertTrue(e.getLong("leaf_index") >= page.getLong("next_before")));
            }
            all.addAll(0, these);
        }
        return all;
    }

    private static String logsOf(JsonObject entry) {
        return new JsonObject(entry.getString("leaf")).getString("logs");
    }

    @Test
    void anActionWithMoreEntriesThanOneAnswerHoldsIsProvenInPagesGoingBackFromItsNewest(@TempDir Path tmp)
            throws Exception {
        // Pages of the default 4 MiB: a thousand entries with their audit paths take more than this class's 256 KiB.
        try (TestServer big = TestServer.start(tmp)) {
            Client rec = big.addUser("rec", Role.RECORDER);
            String uri = record(rec, "Long job");
            appendLogs(rec, uri, ActionProof.MAX_ENTRIES, 10);
            List<JsonObject> pages = pages(rec, uri, "");
            assertEquals(2, pages.size());
            JsonArray newest = pages.get(0).getJsonArray("entries");
            assertEquals(ActionProof.MAX_ENTRIES, newest.size());
            assertEquals("line 0 \n", logsOf(newest.getJsonObject(0)));
            assertEquals(newest.getJsonObject(0).getLong("leaf_index"), pages.get(0).getLong("next_before"));
            JsonArray oldest = pages.get(1).getJsonArray("entries");
            assertEquals(1, oldest.size());
            assertEquals("created", new JsonObject(oldest.getJsonObject(0).getString("leaf")).getString("type"));
            assertNull(pages.get(1).getValue("next_before"));
            assertEquals(ActionProof.MAX_ENTRIES + 1, entries(pages).size());
        }
    }

    /** The bytes a page's entries take in the answer, as sent. */
    private static int jsonBytes(JsonObject page) {
        return page.getJsonArray("entries").encode().getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aPageHoldsAtMostTheConfiguredBytesOfJsonButAlwaysOneEntry() {
        String uri = record("Big logs");
        appendLogs(uri, 6, 100_000); // three a page would pass 256 KiB
        appendLogs(uri, 1, 300_000); // alone on its page, over the bound
        List<JsonObject> pages = pages(uri, "");
        for (JsonObject page : pages) {
            int entries = page.getJsonArray("entries").size();
            assertTrue(entries == 1 || jsonBytes(page) <= PAGE_BYTES, jsonBytes(page) + " bytes in " + entries);
        }
        assertEquals(1, pages.get(0).getJsonArray("entries").size(), "the 300 KB append is a page of its own");
        List<JsonObject> all = entries(pages);
        assertEquals(8, all.size());
        assertEquals(4, pages.size(), "the 300 KB append, then two 100 KB appends a page, the Created entry with the last two");
        for (int i = 0; i < 6; i++) {
            assertTrue(logsOf(all.get(i + 1)).startsWith("line " + i + " "), logsOf(all.get(i + 1)));
        }
    }

    @Test
    void leavesThatEscapingDoublesInTheAnswerStillKeepAPageWithinTheBound() {
        String uri = record("Quoted logs");
        // 60,000 quotes: 120 KB of leaf text each (JCS escapes them), 240 KB in the answer (JSON escapes that again),
        // so two leaves fit the bound as text but not as sent.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, recorder.postText(uri + "logs/", "\"".repeat(60_000)).status());
        }
        List<JsonObject> pages = pages(uri, "");
        for (JsonObject page : pages) {
            int entries = page.getJsonArray("entries").size();
            assertTrue(entries == 1 || jsonBytes(page) <= PAGE_BYTES, jsonBytes(page) + " bytes in " + entries);
        }
        assertEquals(4, entries(pages).size());
        assertEquals(3, pages.size(), "each append alone, the last with the Created entry");
    }

    @Test
    void entriesAfterAnEarlierTreeSizeAreWalkedOverInBoundedSteps() {
        String uri = record("Before the checkpoint");
        appendLogs(uri, 2, 10);
        long size = alice.get(uri + "proof/").json().getLong("tree_size"); // signs a checkpoint covering the three
        appendLogs(uri, ActionProof.MAX_WALK + 50, 10); // more than one answer walks
        List<JsonObject> pages = pages(uri, "?tree_size=" + size);
        assertEquals(2, pages.size(), "one answer walks over MAX_WALK entries of the tree's future, the next goes on");
        assertEquals(0, pages.get(0).getJsonArray("entries").size());
        List<JsonObject> all = entries(pages);
        assertEquals(3, all.size());
        all.forEach(e -> assertTrue(e.getLong("leaf_index") < size));
    }

    @Test
    void beforeMustNameAnEntryOfTheAction() {
        String uri = record("Mine");
        appendLogs(uri, 1, 10);
        String other = record("Someone else's");
        appendLogs(other, 1, 10);
        JsonObject page = alice.get(uri + "proof/").json();
        long size = page.getLong("tree_size");
        long otherLeaf = alice.get(other + "proof/").json().getJsonArray("entries").getJsonObject(1)
                .getLong("leaf_index");
        for (String before : List.of(Long.toString(otherLeaf), "-1", "x", "99999999999")) {
            Client.Response r = alice.get(uri + "proof/?tree_size=" + size + "&before=" + before);
            assertEquals(400, r.status(), before);
            assertTrue(r.json().getString("error").startsWith("before:"), r.body());
        }
        long created = page.getJsonArray("entries").getJsonObject(0).getLong("leaf_index");
        JsonObject none = alice.get(uri + "proof/?tree_size=" + size + "&before=" + created).json();
        assertEquals(0, none.getJsonArray("entries").size(), "nothing comes before the Created entry");
        assertNull(none.getValue("next_before"));
    }

    @Test
    void aProofCoversTheEntryWrittenJustBeforeIt() {
        String uri = record("Fresh");
        for (int i = 0; i < 2; i++) {
            assertEquals(200, recorder.postText(uri + "logs/", "step " + i + "\n").status());
            JsonArray entries = alice.get(uri + "proof/").json().getJsonArray("entries");
            assertEquals("step " + i + "\n", logsOf(entries.getJsonObject(entries.size() - 1)));
        }
    }

    @Test
    void proofsAskedWhileEntriesAreWrittenShareFreshCheckpointsAtMostOneASecond() throws Exception {
        String uri = record("Streaming logs");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                recorder.postText(uri + "logs/", "step " + i + "\n");
            }
        });
        writer.start();
        java.util.Set<Long> sizes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // A reader thread's failed assertion would only end that thread: the first answer that is not a proof is
        // kept and fails the test after the join.
        java.util.concurrent.atomic.AtomicReference<String> notAProof = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() - t0 < 2_500_000_000L && notAProof.get() == null) {
                    Client.Response proof = alice.get(uri + "proof/");
                    if (proof.status() != 200) {
                        notAProof.compareAndSet(null, proof.status() + " " + proof.body());
                        return;
                    }
                    sizes.add(proof.json().getLong("tree_size"));
                    asked.incrementAndGet();
                }
            });
            readers.add(t);
            t.start();
        }
        for (Thread t : readers) {
            t.join();
        }
        stop.set(true);
        writer.join();
        assertNull(notAProof.get(), "a proof asked while entries are written");
        assertTrue(asked.get() > 0, "no proof was answered");
        double seconds = (System.nanoTime() - t0) / 1e9;
        // A fresh checkpoint a second for all of them, and perhaps one of the timer's (every 10 s): not one each.
        assertTrue(sizes.size() <= seconds * 1000 / Checkpointer.ON_DEMAND_GAP_MS + 2,
                sizes.size() + " checkpoints for " + asked + " proofs in " + seconds + " s");
    }

    @Test
    void anActionWhoseNewestEntryIsNotInTheTreeYetIsRefusedForNow(@TempDir Path tmp) throws Exception {
        try (TreeFile tree = TreeFile.open(tmp.resolve("tree"))) {
            ActionProof proofs = new ActionProof(null, tree, null, PAGE_BYTES);
            ActionProof.Refused e = org.junit.jupiter.api.Assertions.assertThrows(ActionProof.Refused.class,
                    () -> proofs.checkpointFor(new Row(0, 0, 0, (byte) 0, 0), null));
            assertEquals(ActionProof.Refused.Kind.NOT_YET, e.kind());
        }
    }

    @Test
    void aProofWaitsTheMomentBetweenTheIndexAndTheTree(@TempDir Path tmp) throws Exception {
        try (TreeFile tree = TreeFile.open(tmp.resolve("tree"))) {
            java.util.concurrent.CompletableFuture<Boolean> waited = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return tree.awaitSize(1, 10_000);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            // The writer adds the leaf after the reader began to wait (or before: either way it is seen).
            tree.append(new byte[Merkle.HASH_BYTES]);
            tree.flush();
            assertTrue(waited.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(!tree.awaitSize(2, 1), "a leaf never added is not waited for past the bound");
        }
    }
}
