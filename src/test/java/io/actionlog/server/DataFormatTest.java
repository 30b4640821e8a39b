package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.journal.Journal;
import io.actionlog.support.Cli;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory says which formats it holds; an older build refuses a newer one instead of misreading it. */
class DataFormatTest {
    @TempDir
    Path dir;

    @Test
    void aStartRecordsTheFormatsItWrites() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String marker = Files.readString(dir.resolve(DataFormat.FILE));
            assertTrue(marker.contains("journal=" + Journal.FORMAT + "\n"), marker);
            assertTrue(marker.contains("credentials=1\n"), marker);
            assertTrue(marker.contains("written_by=" + Version.current() + "\n"), marker);
        }
    }

    @Test
    void aJournalFormatNewerThanThisBuildReadsIsRefusedAtStart() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            assertEquals(201, server.admin().post("/api/v1/action/", new JsonObject().put("action", "Kept")).status());
        }
        Files.writeString(dir.resolve(DataFormat.FILE), "journal=" + (Journal.FORMAT + 1)
                + "\ncredentials=1\nwritten_by=9.0.0\n");
        IOException e = assertThrows(IOException.class, () -> TestServer.start(dir));
        assertTrue(e.getMessage().contains("written by actionlog 9.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("a downgrade is refused"), e.getMessage());
        // Nothing was cut off or rewritten: the marker still says what wrote the directory.
        assertTrue(Files.readString(dir.resolve(DataFormat.FILE)).contains("written_by=9.0.0"));
    }

    @Test
    void aNewerCredentialsFormatIsRefusedByTheCredentialCommand() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            assertTrue(Files.exists(dir.resolve(DataFormat.FILE)));
        }
        Files.writeString(dir.resolve(DataFormat.FILE), "journal=2\ncredentials=2\nwritten_by=9.0.0\n");
        Cli cli = Cli.run("credential", "list", "--data-dir", dir.toString());
        assertEquals(1, cli.code(), cli.err());
        assertTrue(cli.err().contains("a downgrade is refused"), cli.err());
    }

    @Test
    void aDirectoryWithoutMarkerIsTakenAsTodaysAndMarked() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            assertEquals(201, server.admin().post("/api/v1/action/", new JsonObject().put("action", "Before")).status());
        }
        Files.delete(dir.resolve(DataFormat.FILE));
        try (TestServer server = TestServer.start(dir)) {
            assertTrue(Files.exists(dir.resolve(DataFormat.FILE)));
            assertTrue(server.admin().get("/api/v1/action/").body().contains("\"Before\""));
        }
    }
}
