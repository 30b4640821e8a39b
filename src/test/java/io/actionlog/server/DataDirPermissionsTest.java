package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded bodies and addresses are personal data: nothing in the data directory is open to other users. */
class DataDirPermissionsTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshDataDirectoryAndEverythingInItBelongToTheOwnerAlone() throws Exception {
        Path data = tmp.resolve("data");
        try (TestServer server = TestServer.start(data)) {
            server.admin().record(new JsonObject().put("action", "x").put("body", "secret body"));
            assertEquals("rwx------", mode(data));
            assertEquals("rwx------", mode(data.resolve("journal")));
            assertTrue(openToOthers(data).isEmpty(), "open to others: " + openToOthers(data));
        }
        assertTrue(openToOthers(data).isEmpty(), "open to others after a clean stop: " + openToOthers(data));
    }

    @Test
    void journalFilesOfAnOlderVersionAreClosedToOthersAtStart() throws Exception {
        Path data = tmp.resolve("old");
        try (TestServer server = TestServer.start(data)) {
            server.admin().record(new JsonObject().put("action", "x"));
        }
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        try (TestServer server = TestServer.start(data)) {
            assertEquals(1, server.admin().get("/api/v1/action/").json().getJsonObject("meta")
                    .getInteger("total_count"));
            List<String> open = openToOthers(data.resolve("journal"));
            open.remove(data.resolve("journal") + " rwxr-xr-x");
            assertTrue(open.isEmpty(), "journal files still open to others: " + open);
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> openToOthers(Path dir) throws IOException {
        Set<PosixFilePermission> others = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.getPosixFilePermissions(p).stream().anyMatch(others::contains)) {
                    open.add(p + " " + mode(p));
                }
            }
        }
        return open;
    }
}
