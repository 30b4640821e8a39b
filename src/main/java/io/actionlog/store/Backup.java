package io.actionlog.store;

import io.actionlog.action.Dates;
import io.actionlog.files.TarStream;
import io.actionlog.index.ActionIndex;
import io.actionlog.integrity.Merkle;
import io.actionlog.integrity.TreeFile;
import io.actionlog.journal.JournalCopy;
import io.actionlog.journal.PositionDroppedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A consistent copy of a running server's data directory, as a tar archive: {@code manifest.json}, the journal's
 * cycle files holding its first {@code journal_size} entries ({@link JournalCopy}), and the credential files. The
 * size is the journal's at the moment the copy starts, read with the action count under the index's read lock, so
 * every write acknowledged before then is in it and nothing written after is; no step holds the writer. With
 * {@code since} (a {@code journal_size} of an earlier backup) only the cycle files holding entries from there on are
 * in it: unpacked over that backup, it completes it. Once retention dropped the journal's oldest entries, the
 * journal's head file and the tree's hashes of the dropped entries come too ({@code integrity/tree}, cut there).
 *
 * <p>{@link #take} reads and may write scratch files: call it on a worker. {@link #close} removes them.
 */
public final class Backup implements AutoCloseable {
    /** Format of the archive's layout and manifest, raised when either changes incompatibly. */
    public static final int FORMAT = 1;
    public static final String MANIFEST = "manifest.json";
    private static final int DIRECTORY_FILE_MODE = 0600;
    private static final String TREE = "integrity/tree";

    private final JournalCopy copy;
    private final TarStream archive;
    private final long journalSize;

    private Backup(JournalCopy copy, List<TarStream.Member> members, long journalSize) {
        this.copy = copy;
        this.archive = new TarStream(members);
        this.journalSize = journalSize;
    }

    /**
     * @param keptFiles files of the data directory copied whole when they exist (credentials)
     * @param scratch   a directory of this backup's own for the copy of the cycle file being written
     */
    public static Backup take(ActionStore store, Path dataDir, List<String> keptFiles, long since, Path scratch,
                              String version) throws IOException {
        Moment<JournalCopy> moment = atOneMoment(store::journalFirst, store::counts, c -> {
            if (since > c.journalSize()) {
                throw new IllegalArgumentException("since: " + since + " is past the journal's " + c.journalSize()
                        + " entries");
            }
            return store.copyJournal(c.journalSize(), since, scratch);
        });
        ActionIndex.Counts counts = moment.counts();
        JournalCopy copy = moment.made();
        long first = moment.first();
        long now = Dates.now();
        long seconds = now / 1_000_000;
        try {
            List<TarStream.Member> members = new ArrayList<>();
            JsonArray names = new JsonArray();
            List<TarStream.Member> files = new ArrayList<>();
            for (JournalCopy.CopiedFile f : copy.files()) {
                files.add(TarStream.Member.ofFile("journal/" + f.name(), DIRECTORY_FILE_MODE, f.path(), f.length(),
                        seconds));
            }
            if (first > 0) {
                // The tree's hashes of the entries retention dropped: the restored tree starts from them, and
                // checkpoints signed before the drop still verify against it.
                files.add(TarStream.Member.ofFile(TREE, DIRECTORY_FILE_MODE, dataDir.resolve(TREE),
                        TreeFile.nodes(first) * Merkle.HASH_BYTES, seconds));
            }
            for (String name : keptFiles) {
                try {
                    files.add(TarStream.Member.of(name, DIRECTORY_FILE_MODE, Files.readAllBytes(dataDir.resolve(name)),
                            seconds));
                } catch (NoSuchFileException e) {
                    // not every data directory has every file (admin.key only when the key was generated)
                }
            }
            files.forEach(m -> names.add(m.name()));
            JsonObject manifest = new JsonObject().put("format", FORMAT).put("version", version)
                    .put("created_at", Dates.rfc3339(now)).put("journal_size", counts.journalSize())
                    .put("since", since).put("actions", counts.actions()).put("journal_start", first)
                    .put("files", names);
            members.add(TarStream.Member.of(MANIFEST, DIRECTORY_FILE_MODE,
                    (manifest.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8), seconds));
            members.addAll(files);
            return new Backup(copy, members, counts.journalSize());
        } catch (IOException | RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /** The journal's start, the counts, and what was made from them, all of one moment. */
    record Moment<T>(long first, ActionIndex.Counts counts, T made) {
    }

    /** How often a backup reads its moment again when retention dropped files meanwhile, before it is refused. */
    static final int ATTEMPTS = 3;

    /**
     * The counts and what {@code make} makes of them (the copy of the journal's files), read at one moment. A
     * retention drop between the two (the journal's start moved) would leave the copy without files the counts
     * count, and without the entries that record the drop, which come after the counted size: a restored server
     * would not start. Both are then read again, up to {@link #ATTEMPTS} times, as when the copy found a drop under
     * way (a head file naming another start); past that the backup is refused as any read that a drop overtook (503,
     * to be repeated).
     */
    static <T extends AutoCloseable> Moment<T> atOneMoment(LongSupplier first, Supplier<ActionIndex.Counts> counts,
                                                           Function<ActionIndex.Counts, T> make) {
        for (int attempt = 1; ; attempt++) {
            long before = first.getAsLong();
            ActionIndex.Counts c = counts.get();
            T made;
            try {
                made = make.apply(c);
            } catch (RuntimeException e) {
                // A drop under way fails the copy with PositionDroppedException before it moves the start.
                if (first.getAsLong() == before && !(e instanceof PositionDroppedException)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw new PositionDroppedException(before, first.getAsLong());
                }
                continue; // the drop, deleting files as they were linked, is what failed it
            }
            if (first.getAsLong() == before) {
                return new Moment<>(before, c, made);
            }
            try {
                made.close();
            } catch (Exception e) {
                // scratch files left for the next start's cleanup
            }
            if (attempt == ATTEMPTS) {
                throw new PositionDroppedException(before, first.getAsLong());
            }
        }
    }

    public long journalSize() {
        return journalSize;
    }

    /** The archive, to be read once. */
    public TarStream archive() {
        return archive;
    }

    /** Idempotent; a read of the archive that is still running fails. */
    @Override
    public void close() {
        try {
            archive.closeFile();
        } catch (IOException e) {
            // nothing was written through it
        }
        copy.close();
    }
}
