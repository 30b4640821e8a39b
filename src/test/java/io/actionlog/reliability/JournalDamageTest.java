package io.actionlog.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.journal.JournalFiles;
import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to a stopped server's journal files, made with plain NIO: the server starts again, says in its log what
 * it skipped, serves every acknowledged action exactly as before, and records new ones. (The journal's own tests
 * cover the recovery cases one by one; these check the whole server on top of them.)
 */
class JournalDamageTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void aTornLastEntryIsSkipped() throws Exception {
        survives(journal -> {
            Path file = JournalFiles.lastCycleFile(journal);
            // Chronicle's "not complete" bit with 200 bytes announced and 120 written: a writer killed mid-entry.
            write(file, JournalFiles.dataEnd(file), document(0x8000_0000 | 200, 120));
        }, true);
    }

    @Test
    void garbageAppendedToTheLastCycleFileIsSkipped() throws Exception {
        survives(journal -> {
            Path file = JournalFiles.lastCycleFile(journal);
            byte[] garbage = new byte[8192];
            new Random(7).nextBytes(garbage);
            write(file, Files.size(file), garbage);
            write(file, JournalFiles.dataEnd(file), document(0x3FFF_FFF0, 300));
        }, true);
    }

    @Test
    void anEmptyMetadataFileIsRebuilt() throws Exception {
        survives(journal -> Files.write(journal.resolve(JournalFiles.METADATA_FILE), new byte[0]), false);
    }

    @Test
    void aMissingMetadataFileIsRebuilt() throws Exception {
        survives(journal -> Files.delete(journal.resolve(JournalFiles.METADATA_FILE)), false);
    }

    @FunctionalInterface
    private interface Damage {
        void to(Path journal) throws Exception;
    }

    private void survives(Damage damage, boolean reported) throws Exception {
        Handler capture = capture();
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String uri = rec.record(new JsonObject().put("action", "A" + i).put("user", "u" + (i % 3)))
                        .getString("resource_uri");
                if (i % 2 == 0) {
                    rec.patch(uri, new JsonObject().put("state", i % 4 == 0 ? "Success" : "In progress"));
                }
                if (i % 3 == 0) {
                    rec.postText(uri + "logs/", "line " + i + "\n");
                }
                uris.add(uri);
            }
            String before = answers(server.admin(), uris);
            server.restart(() -> {
                synchronized (log) {
                    log.clear();
                }
                damage.to(dir.resolve("journal"));
            });
            assertEquals(before, answers(server.admin(), uris), "every acknowledged action as it was");
            if (reported) {
                synchronized (log) {
                    assertTrue(log.stream().anyMatch(l -> l.contains("truncated")), "the skipped tail is logged: " + log);
                }
            }
            rec = server.as("rec");
            JsonObject after = rec.record(new JsonObject().put("action", "after damage"));
            assertEquals(31, after.getLong("id"));
            assertEquals(200, rec.get(after.getString("resource_uri")).status());
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    private static String answers(Client c, List<String> uris) {
        StringBuilder sb = new StringBuilder(c.get("/api/v1/action/?limit=1000&order_by=id").body());
        uris.forEach(u -> sb.append(c.get(u).body()));
        return sb.toString();
    }

    private Handler capture() {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (log) {
                    log.add(r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(h);
        return h;
    }

    private static byte[] document(int header, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        new Random(header).nextBytes(payload);
        return ByteBuffer.allocate(4 + payloadBytes).order(ByteOrder.LITTLE_ENDIAN).putInt(header).put(payload).array();
    }

    private static void write(Path file, long offset, byte[] bytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }
}
