package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.Role;
import io.actionlog.journal.JournalFiles;
import io.actionlog.support.Cli;
import io.actionlog.support.Client;
import io.actionlog.support.DayClock;
import io.actionlog.support.LogCapture;
import io.actionlog.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} is the auditor's look at a directory that may be damaged, so it changes nothing in it: not a torn
 * or damaged journal tail, which a server's start would cut; not a damaged checkpoint log record; not a lock or a
 * cache file. What it would have mended it names instead, with a non-zero exit. A stored tree that is missing, cut
 * or short is named too, as are kept checkpoints that are not one checkpoint of this log.
 */
class VerifyLeavesDataAsFoundTest {
    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;

    private void recordAndStop() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int i = 0; i < 5; i++) {
                rec.record(new JsonObject().put("action", "Pay " + i).put("user", "u" + i));
            }
        }
    }

    private Cli verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", "--data-dir", dir.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    /** Every regular file under the data directory by its path, with a hash of its bytes. */
    private Map<String, String> files() throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                all.put(dir.relativize(p).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return all;
    }

    private Path lastCycleFile() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).max(Path::compareTo).orElseThrow();
        }
    }

    @Test
    void anUntouchedDirectoryIsLeftByteForByteAsItWas() throws Exception {
        recordAndStop();
        Map<String, String> before = files();
        Cli run = verify();
        assertEquals(0, run.code(), run.err());
        assertEquals(before, files());
    }

    /** A backup stopped half-way leaves its scratch copy; a server start removes it, verify does not. */
    @Test
    void scratchFilesOfAStoppedBackupAreLeftAsTheyAre() throws Exception {
        recordAndStop();
        Path left = dir.resolve("tmp").resolve("backup-1").resolve("part.cq4");
        Files.createDirectories(left.getParent());
        Files.writeString(left, "half a copy");
        Map<String, String> before = files();
        Cli run = verify();
        assertEquals(0, run.code(), run.err());
        assertEquals(before, files());
    }

    @Test
    void bytesAfterTheJournalsLastEntryAreNamedAndKept() throws Exception {
        recordAndStop();
        Path cycle = lastCycleFile();
        long lastNonZero = 0;
        byte[] bytes = Files.readAllBytes(cycle);
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != 0) {
                lastNonZero = i;
                break;
            }
        }
        try (FileChannel ch = FileChannel.open(cycle, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("not an entry".getBytes(StandardCharsets.US_ASCII)), (lastNonZero + 68) & ~3);
        }
        Map<String, String> before = files();
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains(cycle.getFileName() + ": its complete entries end at offset"), run.err());
        assertTrue(run.err().contains("are not entries"), run.err());
        assertEquals(before, files(), "the damage is kept as evidence");
    }

    @Test
    void anIndexSlotChangedToAnotherEntrysPlaceIsNamedAndKept() throws Exception {
        // The journal's entries are intact, so every hash checks; the server's reads by position follow the index.
        recordAndStop();
        Path cycle = lastCycleFile();
        long slot = JournalFiles.indexSlot(cycle, 2);
        ByteBuffer two = ByteBuffer.allocate(16);
        try (FileChannel ch = FileChannel.open(cycle, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.read(two, slot);
            ch.write(ByteBuffer.wrap(two.array(), 8, 8), slot);
            ch.write(ByteBuffer.wrap(two.array(), 0, 8), slot + 8);
        }
        Map<String, String> before = files();
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("integrity: cycle file " + cycle + ": its index gives offset"), run.err());
        assertTrue(run.err().contains("for entry 2 of the file (journal position 2)"), run.err());
        assertTrue(run.out().contains("tree_size "), run.out());
        assertEquals(before, files());
    }

    @Test
    void anUnreadableListingIsANoteWithoutChroniclesStackTrace() throws Exception {
        // metadata.cq4t is Chronicle's listing of the cycle files, which a start rebuilds: no damage to the entries.
        recordAndStop();
        Path metadata = dir.resolve("journal").resolve(JournalFiles.METADATA_FILE);
        try (FileChannel ch = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
            byte[] garbage = new byte[64];
            java.util.Arrays.fill(garbage, (byte) 0xFF);
            ch.write(ByteBuffer.wrap(garbage), 100);
        }
        Map<String, String> before = files();
        Cli run;
        try (LogCapture chronicle = LogCapture.of("net.openhft")) {
            run = verify();
            assertEquals(List.of(), chronicle.messages());
        }
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("integrity: note: metadata.cq4t, Chronicle's listing of the cycle files, does "
                + "not read ("), run.err());
        assertEquals(before, files());
    }

    @Test
    void anAddedDocumentThatIsNotAnEntryIsNamed() throws Exception {
        recordAndStop();
        Path cycle = lastCycleFile();
        byte[] bytes = Files.readAllBytes(cycle);
        int end = bytes.length - 1;
        while (bytes[end] == 0) {
            end--;
        }
        // A whole document of 16 zero bytes right after the last entry: Chronicle's framing, not an entry's.
        try (FileChannel ch = FileChannel.open(cycle, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {16, 0, 0, 0}), (end + 4) & ~3);
        }
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("1 of the journal's entries do not decode"), run.err());
    }

    @Test
    void aDamagedLastCheckpointRecordIsNamedAndKept() throws Exception {
        recordAndStop();
        Path log = Integrity.checkpointFile(dir);
        Files.writeString(log, "actionlog\n12\ngarbage", StandardOpenOption.APPEND);
        Map<String, String> before = files();
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("are not a whole checkpoint"), run.err());
        assertEquals(before, files());
    }

    /**
     * The stored tree is rebuilt from the journal by a start (a restored backup has none, a crash may leave it
     * behind), and the signed checkpoints vouch for the journal without it: what it lacks is said, not failed.
     */
    @Test
    void aStoredTreeThatIsMissingCutOrShortIsSaidWhatWasNotCompared() throws Exception {
        recordAndStop();
        Path tree = Integrity.treeFile(dir);
        byte[] whole = Files.readAllBytes(tree);
        Files.write(tree, java.util.Arrays.copyOf(whole, whole.length - 5));
        Cli cut = verify();
        assertEquals(0, cut.code(), cut.err());
        assertTrue(cut.err().contains("note: the stored tree " + tree + " has " + (whole.length - 5) + " bytes, not "
                + "the hashes of a whole number of leaves: those of its first 4 leaves were compared"), cut.err());
        assertTrue(cut.out().contains("signed_size 5\n"), cut.out());

        // The whole tree of the first 3 leaves (4 hashes in the file's post-order) of the journal's 5.
        Files.write(tree, java.util.Arrays.copyOf(whole, 4 * Merkle.HASH_BYTES));
        Cli shorter = verify();
        assertEquals(0, shorter.code(), shorter.err());
        assertTrue(shorter.err().contains("note: the stored tree holds 3 leaves and the journal 5 entries"),
                shorter.err());

        Files.delete(tree);
        Cli missing = verify();
        assertEquals(0, missing.code(), missing.err());
        assertTrue(missing.err().contains("note: there is no stored tree"), missing.err());
        assertTrue(Files.notExists(tree), "not rebuilt by verify");

        Files.delete(Integrity.checkpointFile(dir));
        Cli unsigned = verify();
        assertEquals(0, unsigned.code(), unsigned.err());
        assertTrue(unsigned.out().contains("signed_size 0\n"), unsigned.out());
        assertTrue(unsigned.err().contains("note: no signed checkpoint vouches for any of the 5 entries"),
                unsigned.err());
    }

    @Test
    void aKeptCheckpointMustBeOneCheckpointOfThisLog() throws Exception {
        recordAndStop();
        String note = CheckpointLog.openReadOnly(Integrity.checkpointFile(dir), "actionlog").latest().note();
        Path glued = Files.writeString(elsewhere.resolve("glued"), note + note);
        Cli twice = verify("--checkpoint", glued.toString());
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("checkpoint file " + glued + ": not a signed checkpoint note: line 6"),
                twice.err());

        Path huge = Files.write(elsewhere.resolve("huge"), new byte[100_000]);
        Cli big = verify("--checkpoint", huge.toString());
        assertEquals(1, big.code());
        assertTrue(big.err().contains("more than a checkpoint"), big.err());

        Path padded = Files.writeString(elsewhere.resolve("padded"), note.replaceFirst("\n", "\n0"));
        Cli zero = verify("--checkpoint", padded.toString());
        assertEquals(1, zero.code());
        assertTrue(zero.err().contains("not a decimal number as a checkpoint writes it"), zero.err());

        Path other = Files.writeString(elsewhere.resolve("other"), note.replaceFirst("actionlog", "another.log"));
        Cli origin = verify("--checkpoint", other.toString());
        assertEquals(1, origin.code());
        assertTrue(origin.err().contains("of origin 'another.log', not of this log's 'actionlog'"), origin.err());

        Path missing = elsewhere.resolve("missing");
        Cli none = verify("--checkpoint", missing.toString());
        assertEquals(1, none.code());
        assertTrue(none.err().contains("checkpoint file " + missing + ": no such file"), none.err());
    }

    /** Damage that stops verify is named with its file, in words, never as a bare exception or a stack trace. */
    @Test
    void whatStopsVerifyIsNamedWithItsFile() throws Exception {
        recordAndStop();
        Path key = dir.resolve("integrity").resolve("signing.key");
        byte[] keyBytes = Files.readAllBytes(key);
        Files.write(key, new byte[] {(byte) 0xC3, 0x28});
        Cli badKey = verify();
        assertEquals(1, badKey.code());
        assertEquals("actionlog verify: signing key does not load: key file " + key + ": not UTF-8 text, so not a key "
                + "file\n", badKey.err());
        Files.write(key, keyBytes);

        Path log = Integrity.checkpointFile(dir);
        String text = Files.readString(log);
        // The first record's root hash, made not base64: a record in the middle of the log, not its torn tail.
        int root = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        Files.writeString(log, text.substring(0, root) + "?" + text.substring(root + 1));
        Cli badLog = verify();
        assertEquals(1, badLog.code());
        assertTrue(badLog.err().startsWith("actionlog verify: checkpoint log " + log + ", the record at byte 0: "
                + "checkpoint's root hash is not base64"), badLog.err());
        Files.writeString(log, text);

        Path cycle = lastCycleFile();
        try (FileChannel ch = FileChannel.open(cycle, StandardOpenOption.WRITE)) {
            ch.truncate(200);
        }
        Cli cut = verify();
        assertEquals(1, cut.code());
        assertTrue(cut.err().startsWith("actionlog verify: "), cut.err());
        assertTrue(!cut.err().contains("\tat ") && !cut.err().contains("Exception in thread"), cut.err());
    }

    /**
     * Entries copied in after the signed ones (a cycle file copied under another day's name, say) are past the
     * checkpoints and the stored tree, but a new action must take the next id, as a server start requires.
     */
    @Test
    void entriesCopiedInAfterTheSignedOnesAreNamedByTheirIds() throws Exception {
        recordAndStop();
        JournalEdits.rewrite(dir.resolve("journal"), entries -> {
            entries.add(entries.get(2));
            return entries;
        });
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        // The entry's number in its file is 5 unless the day turned while the test wrote.
        assertTrue(java.util.regex.Pattern.compile("position 5 \\(entry \\d+ of cycle file \\d{8}F\\.cq4\\) "
                + "creates id 3 where the next id is 6: id 3 was given before").matcher(run.err()).find(), run.err());
    }
    /**
     * A day's cycle file deleted: the journal reads on from the day after, where a new action skips the ids of the
     * deleted day's; verify names the files on both sides of the gap, and the files of the entries it cannot read.
     */
    @Test
    void aDeletedDaysFileIsNamedByTheFilesAroundTheGap() throws Exception {
        DayClock clock = new DayClock(3);
        List<String> files = new ArrayList<>();
        try (TestServer server = TestServer.start(dir, Map.of(), clock)) {
            Client rec = server.addUser("rec", Role.RECORDER);
            for (int day = 0; day < 3; day++) {
                for (int i = 0; i < 2; i++) {
                    rec.record(new JsonObject().put("action", "Pay " + day + i).put("user", "u" + day + i));
                }
                files.add(lastCycleFile().getFileName().toString());
                clock.nextDay();
            }
        }
        assertEquals(3, new java.util.HashSet<>(files).size(), files.toString());
        Files.delete(dir.resolve("journal").resolve(files.get(1)));
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("position 2 (entry 0 of cycle file " + files.get(2) + ") creates id 5 where "
                + "the next id is 3: the actions of ids 3 to 4 are missing"), run.err());
        assertTrue(run.err().contains("position 1 is entry 1 of cycle file " + files.get(0)), run.err());
        Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> TestServer.start(dir, Map.of(), clock).close());
        String said = String.valueOf(refused.getMessage()) + " / " + String.valueOf(refused.getCause());
        assertTrue(said.contains("journal entry at 2 creates id 5 but the next id is 3 (entry 0 of cycle file "
                + files.get(2) + ")"), said);
    }
    /** The server's search of the log by size relies on its order: a record copied again fails verify. */
    @Test
    void aCheckpointRecordDuplicatedInTheLogFails() throws Exception {
        recordAndStop();
        Path log = Integrity.checkpointFile(dir);
        String text = Files.readString(log);
        int marker = text.lastIndexOf("\n\nactionlog\n"); // before the last record, unless it is the only one
        int last = marker < 0 ? 0 : marker + 2;
        Files.writeString(log, text + text.substring(last));
        Cli run = verify();
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("does not grow on the one before it"), run.err());
    }
}
