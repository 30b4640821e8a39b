package io.actionlog.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log.file: rotated by size, at most log.file_count files in all, the newest lines always in the file named. */
class RotatingFileHandlerTest {
    @TempDir
    Path dir;

    @Test
    void aFullFileMovesAsideAndTheOldestIsDropped() throws Exception {
        // The directory is the operator's to make: a setting naming one that does not exist stops the start.
        Path file = Files.createDirectories(dir.resolve("logs")).resolve("actionlog.log");
        RotatingFileHandler handler = new RotatingFileHandler(file, 1000, 3);
        handler.setFormatter(new SimpleFormatter());
        for (int i = 0; i < 100; i++) {
            handler.publish(new LogRecord(Level.INFO, "line " + i + " " + "x".repeat(80)));
        }
        handler.close();
        assertTrue(Files.exists(file));
        assertTrue(Files.exists(dir.resolve("logs/actionlog.log.1")));
        assertTrue(Files.exists(dir.resolve("logs/actionlog.log.2")));
        assertFalse(Files.exists(dir.resolve("logs/actionlog.log.3")));
        assertTrue(Files.size(dir.resolve("logs/actionlog.log.1")) >= 1000);
        String newest = Files.exists(file) && Files.size(file) > 0 ? Files.readString(file)
                : Files.readString(dir.resolve("logs/actionlog.log.1"));
        assertTrue(newest.contains("line 99 "), newest);
        assertEquals(3, Files.list(dir.resolve("logs")).count());
        // Client addresses and credential names are in it: each file, rotated ones too, is its owner's alone.
        for (String name : new String[] {"actionlog.log", "actionlog.log.1", "actionlog.log.2"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("logs").resolve(name))), name);
        }
    }

    @Test
    void aRestartAppendsToTheFileItFinds() throws Exception {
        Path file = dir.resolve("actionlog.log");
        for (String word : new String[] {"first", "second"}) {
            RotatingFileHandler handler = new RotatingFileHandler(file, 1 << 20, 2);
            handler.setFormatter(new SimpleFormatter());
            handler.publish(new LogRecord(Level.INFO, word));
            handler.close();
        }
        String text = Files.readString(file);
        assertTrue(text.contains("first") && text.contains("second"), text);
    }
}
