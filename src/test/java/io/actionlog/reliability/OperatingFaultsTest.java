package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.Http;
import io.actionlog.support.Needs;
import io.actionlog.support.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the machine, not of the request: a data directory that cannot be used, a full disk, a second server on
 * the same directory. Each gives a clear message and a non-zero exit (or a 503 for a write), and never damages
 * what was acknowledged. Root passes every permission check, so "not writable" is made the way it happens to root
 * too: a read-only (bind) mount, and a file where the directory should be.
 */
class OperatingFaultsTest {
    private static final String KEY = TestServer.ADMIN_KEY;

    @TempDir
    Path dir;

    @Test
    void aFileWhereTheDataDirectoryShouldBeStopsTheStart() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(data, "not a directory");
        ForkedServer.Exit exit = ForkedServer.run(data, KEY);
        assertEquals(1, exit.code(), exit.output());
        assertTrue(exit.output().contains("is not a directory"), exit.output());
    }

    @Test
    void aReadOnlyDataDirectoryStopsTheStartAndLosesNothing() throws Exception {
        Path data = dir.resolve("data");
        List<String> uuids = new ArrayList<>();
        try (ForkedServer server = ForkedServer.start(data, KEY)) {
            uuids.addAll(record(new Http(server.port()), 5, 10));
        }
        Needs.require("MOUNT", sh("mount --bind " + data + " " + data) == 0,
                "cannot bind-mount here (needs root and mount rights)");
        try {
            assertEquals(0, sh("mount -o remount,bind,ro " + data));
            ForkedServer.Exit exit = ForkedServer.run(data, KEY);
            assertEquals(1, exit.code(), exit.output());
            assertTrue(exit.output().contains("is not writable"), exit.output());
        } finally {
            sh("umount " + data);
        }
        try (ForkedServer server = ForkedServer.start(data, KEY)) {
            assertAllThere(new Http(server.port()), uuids);
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryStopsAndTheFirstGoesOn() throws Exception {
        Path data = dir.resolve("data");
        try (ForkedServer first = ForkedServer.start(data, KEY)) {
            Http http = new Http(first.port());
            List<String> uuids = record(http, 3, 10);
            ForkedServer.Exit second = ForkedServer.run(data, KEY);
            assertEquals(1, second.code(), second.output());
            assertTrue(second.output().contains("is in use by another actionlog server (process " + first.pid() + ")"),
                    second.output());
            uuids.addAll(record(http, 3, 10));
            assertAllThere(http, uuids);
        }
    }

    @Test
    void aFullDiskRefusesWritesWith503AndLosesNothingAcknowledged() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Needs.require("MOUNT", sh("mount -t tmpfs -o size=320m tmpfs " + data) == 0,
                "cannot mount a small tmpfs here (needs root and mount rights), so the disk-full test does not run");
        List<String> acknowledged = new ArrayList<>();
        try {
            int refused = 0;
            String lastRefusal = "";
            String output;
            try (ForkedServer server = ForkedServer.start(data, KEY)) {
                Http http = new Http(server.port());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (refused < 20 && System.nanoTime() < deadline) {
                    String uuid = UUID.randomUUID().toString();
                    HttpResponse<String> r;
                    try {
                        r = http.post("/api/v1/action/", "{\"action\":\"fill\",\"uuid\":\"" + uuid
                                + "\",\"body\":\"" + "b".repeat(400_000) + "\"}");
                    } catch (java.io.IOException e) {
                        lastRefusal = "connection: " + e;
                        break;
                    }
                    if (r.statusCode() == 201) {
                        acknowledged.add(uuid);
                    } else {
                        assertEquals(503, r.statusCode(), "a full disk is a 503, never a 500: " + r.body());
                        refused++;
                        lastRefusal = r.body();
                    }
                }
                if (refused > 0) {
                    // A backup is recorded in the journal before it is taken; refused there, it is not taken.
                    HttpResponse<String> backup = http.get("/api/v1/admin/backup/");
                    assertEquals(503, backup.statusCode(), backup.body());
                    assertTrue(backup.body().contains("was not started: its record could not be written to the "
                            + "journal"), backup.body());
                }
                output = server.output();
                assertTrue(refused > 0 || !lastRefusal.isEmpty(), "the disk filled up: " + acknowledged.size()
                        + " acknowledged\n" + output);
            }
            assertTrue(acknowledged.size() > 10, "wrote before the disk filled: " + acknowledged.size() + ", then "
                    + lastRefusal + "\n" + output);
            assertEquals(0, sh("mount -o remount,size=800m " + data), "space freed");
            try (ForkedServer server = ForkedServer.start(data, KEY)) {
                Http http = new Http(server.port());
                assertAllThere(http, acknowledged);
                assertEquals(201, http.post("/api/v1/action/", "{\"action\":\"after\"}").statusCode());
            }
        } finally {
            sh("umount " + data);
        }
    }

    static List<String> record(Http http, int n, int bodyBytes) throws Exception {
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String uuid = UUID.randomUUID().toString();
            HttpResponse<String> r = http.post("/api/v1/action/", "{\"action\":\"a\",\"uuid\":\"" + uuid
                    + "\",\"body\":\"" + "b".repeat(bodyBytes) + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            uuids.add(uuid);
        }
        return uuids;
    }

    static void assertAllThere(Http http, List<String> uuids) throws Exception {
        for (String uuid : uuids) {
            assertEquals(200, http.get("/api/v1/action/" + uuid + "/").statusCode(), uuid);
        }
        HttpResponse<String> list = http.get("/api/v1/action/?limit=1");
        assertNotEquals(500, list.statusCode());
    }

    static int sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
