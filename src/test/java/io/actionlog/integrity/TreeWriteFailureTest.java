package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.action.ActionData;
import io.actionlog.action.NewAction;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.store.Entries;
import io.actionlog.store.Writer;
import io.actionlog.support.LogCapture;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree file's writes fail for a while (a full disk) as the real writer goes on taking entries: no size is
 * published over hashes that are not in the file, and once writes succeed the tree catches up by itself, hash for
 * hash the tree the journal alone gives.
 */
class TreeWriteFailureTest {
    @TempDir
    Path dir;

    @Test
    void writesThatFailForAWhileLeaveNoHoleAndTheTreeCatchesUpOnceTheySucceed() throws Exception {
        Path file = dir.resolve("tree");
        try (Journal journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS);
             LogCapture log = LogCapture.of(TreeKeeper.class.getName())) {
            ActionIndex index = new ActionIndex();
            FailingChannel channel = new FailingChannel(FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
            TreeFile tree = TreeFile.open(channel);
            Writer writer = new Writer(journal, index, 100, 10);
            TreeKeeper keeper = new TreeKeeper(tree, journal, index);
            writer.prepare(keeper);
            writer.listen(keeper);
            writer.start();
            try {
                record(writer, index, 5, 40);
                long before = tree.size();
                channel.beforeWrite = FailingChannel.DISK_FULL;
                record(writer, index, 10, 40);
                // More hashes than the tree buffers: the failure comes in the middle of this batch.
                record(writer, index, 1, 3000);
                record(writer, index, 10, 40);
                assertEquals(before, tree.size(), "no size is published while its hashes are not in the file");
                channel.beforeWrite = FailingChannel.PASS;
                record(writer, index, 3, 40);
                assertEquals(journal.size(), tree.size(), "the tree caught up with the journal");
            } finally {
                writer.close();
                tree.close();
            }
            Path reference = dir.resolve("reference");
            try (TreeFile built = TreeFile.open(reference)) {
                new TreeKeeper(built, journal, index).catchUp(journal);
            }
            assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(file));
            assertEquals(1, count(log, "not written"), "the failure is logged once: " + log.messages());
            assertEquals(1, count(log, "written again"), "and so is the recovery: " + log.messages());
        }
    }

    private static long count(LogCapture log, String part) {
        return log.messages().stream().filter(m -> m.contains(part)).count();
    }

    /** {@code batches} writes of {@code actions} new actions each, one after the other. */
    private static void record(Writer writer, ActionIndex index, int batches, int actions) {
        for (int b = 0; b < batches; b++) {
            writer.submit(appender -> {
                for (int i = 0; i < actions; i++) {
                    long id = index.size() + 1L;
                    appender.append(Entries.created(id, action(id)));
                }
                return null;
            }).join();
        }
    }

    private static NewAction action(long id) {
        ActionData data = new ActionData(UUID.randomUUID(), "user" + id % 3, "Service Start", "POST", "/p/" + id + "/",
                "/api/v1/service/" + id % 4 + "/", List.of(), "10.0.0.1", "Tallinn, EE", "agent", "{}",
                1_700_000_000_000_000L + id, true, null, "generator");
        return new NewAction(data, State.IN_PROGRESS, Entry.NO_TIME, "", "", "{}", Set.of());
    }
}
