package io.actionlog.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a recovery cuts is copied aside up to its last non-zero byte; a copy that cannot be made never blocks it. */
class CutAsideTest {
    @TempDir
    Path dir;

    @Test
    void theBytesUpToTheLastNonZeroOneAreKeptAndZerosAloneLeaveNoFile() throws Exception {
        byte[] file = new byte[3 << 20];
        file[1000] = 7;
        file[(2 << 20) + 5] = 9; // past the first window read backwards
        Path source = Files.write(dir.resolve("source"), file);
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            assertEquals((2 << 20) + 6 - 900, CutAside.keep(ch, 900, file.length, dir.resolve("kept")));
            assertArrayEquals(Arrays.copyOfRange(file, 900, (2 << 20) + 6), Files.readAllBytes(dir.resolve("kept")));
            assertEquals(0, CutAside.keep(ch, (2 << 20) + 6, file.length, dir.resolve("zeros")));
            assertFalse(Files.exists(dir.resolve("zeros")));
        }
    }

    @Test
    void aCopyThatCannotBeMadeIsReportedAndLeavesAnyFileOfThatNameAlone() throws Exception {
        Path source = Files.write(dir.resolve("source"), new byte[] {1, 2, 3});
        Path taken = Files.writeString(dir.resolve("taken"), "someone else's");
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            assertEquals(-1, CutAside.keep(ch, 0, 3, taken));
        }
        assertEquals("someone else's", Files.readString(taken));
    }
}
