package io.actionlog.integrity;

import io.actionlog.files.CutAside;
import io.actionlog.files.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * {@code <data>/integrity/checkpoints}: every checkpoint the server signed, oldest first, each note followed by one
 * blank line. A note's own blank line is followed by a signature line ("—"), the separator by the origin, so a
 * record starts wherever "\n\n" is followed by {@code <origin>\n}; tree sizes grow from record to record, so
 * {@link #find} is a binary search over the file and nothing of the log is held on the heap but the latest note.
 * At open the file is cut back to the end of its last whole record: a crash while appending may leave part of a
 * record after it, or NUL bytes (a file the system extended but did not write), and the next record must not be
 * appended to them.
 *
 * <p>Sizes fall where a start found the journal shorter than the latest checkpoint (see {@link Checkpointer}): the
 * checkpoints of the lost entries stay, as evidence, and the next one signed is smaller. Where each fall starts is
 * kept in {@code checkpoints.falls} beside the log (one byte offset a line, written before the first record after
 * the fall), so that the log is known as runs of growing sizes across restarts: {@link #find} searches the newest
 * run first, each by binary search.
 *
 * <p>Threads: {@link #append} from one thread at a time (it is synchronized); {@link #latest} and {@link #find}
 * from any thread, reading only whole records below the published end.
 */
public final class CheckpointLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CheckpointLog.class.getName());
    private static final int WINDOW = 4096;
    private static final long MAX_FALLS_BYTES = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final byte[] marker;
    private volatile long end;
    private volatile Checkpoint latest;
    private final Path fallsFile;
    /** Where each run of growing sizes after a fall starts, ascending (none: sizes never fell). */
    private volatile long[] falls;

    /** What follows the last whole record, when the log was opened to read only (null: nothing). */
    private String damage;
    /** What {@link #forEach} and the read of the falls found out of order (for {@code verify}): the first few. */
    private final List<String> orderProblems = new ArrayList<>();
    private long moreOrderProblems;

    private CheckpointLog(Path file, FileChannel channel, String origin, boolean readOnly) throws IOException {
        this.file = file;
        this.channel = channel;
        this.marker = ("\n\n" + origin + "\n").getBytes(StandardCharsets.UTF_8);
        this.end = channel.size();
        this.fallsFile = file.resolveSibling(file.getFileName() + ".falls");
        checkOrigin(origin);
        recoverTail(readOnly);
        this.falls = readFalls();
    }

    /** The falls recorded beside the log, but for any at or past its end (a record cut as torn, or never written). */
    private long[] readFalls() throws IOException {
        if (!Files.exists(fallsFile)) {
            return new long[0];
        }
        if (Files.size(fallsFile) > MAX_FALLS_BYTES) {
            // A fall needs a journal that lost entries: thousands of them are not the server's writing.
            LOG.warning("checkpoint falls " + fallsFile + " is larger than " + MAX_FALLS_BYTES + " bytes; not read: "
                    + "a checkpoint of a size signed both before and after a fall may not be found");
            outOfOrder("checkpoint falls " + fallsFile + " is larger than " + MAX_FALLS_BYTES + " bytes, which "
                    + "no server writes; not read");
            return new long[0];
        }
        List<String> lines = Files.readAllLines(fallsFile, StandardCharsets.US_ASCII);
        return lines.stream().map(String::strip).filter(line -> !line.isEmpty()).mapToLong(line -> {
            try {
                return Long.parseLong(line);
            } catch (NumberFormatException e) {
                LOG.warning("checkpoint falls " + fallsFile + ": '" + line + "' is not a byte offset; left out");
                outOfOrder("checkpoint falls " + fallsFile + ": '" + (line.length() > 40
                        ? line.substring(0, 40) + "…" : line) + "' is not a byte offset, which no server writes");
                return -1;
            }
        }).filter(at -> at > 0 && at < end).sorted().distinct().toArray();
    }

    /**
     * Refuses a log whose first record is of another origin: records are found by a marker holding the origin, so
     * recovery would take all but that record for a torn tail and cut them (an {@code integrity.origin} changed, or
     * a {@code verify} run with another configuration than the server's).
     */
    private void checkOrigin(String origin) {
        Checkpoint first = end > 0 ? read(0) : null;
        if (first != null && !first.origin().equals(origin)) {
            throw new IllegalStateException("checkpoint log " + file + " holds checkpoints of origin '"
                    + first.origin() + "', not of integrity.origin '" + origin + "': set integrity.origin to the "
                    + "origin it was signed with (the verifier key's name), or move the log aside to start another");
        }
    }

    public static CheckpointLog open(Path file, String origin) throws IOException {
        OwnerOnly.createDirectories(file.getParent());
        return over(file, FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE), OwnerOnly.file()), origin, false);
    }

    /** A log written through {@code channel}: tests give one whose writes fail. */
    static CheckpointLog open(Path file, FileChannel channel, String origin) throws IOException {
        return new CheckpointLog(file, channel, origin, false);
    }

    /**
     * Opens an existing log to read it only, as {@code verify} does: bytes after its last whole record are left as
     * they are and named by {@link #damage()}, where {@link #open} would cut them as a crash's torn write.
     */
    public static CheckpointLog openReadOnly(Path file, String origin) throws IOException {
        return over(file, FileChannel.open(file, StandardOpenOption.READ), origin, true);
    }

    /** A log refused as it is read (another origin, a record that does not read) leaves its file closed. */
    private static CheckpointLog over(Path file, FileChannel channel, String origin, boolean readOnly)
            throws IOException {
        try {
            return new CheckpointLog(file, channel, origin, readOnly);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** For a log opened to read only: what follows its last whole record, or null when nothing does. */
    public String damage() {
        return damage;
    }

    /** The newest checkpoint, or null when none was ever signed. */
    public Checkpoint latest() {
        return latest;
    }

    public synchronized void append(Checkpoint c) {
        byte[] bytes = (c.note() + "\n").getBytes(StandardCharsets.UTF_8);
        boolean fall = latest != null && c.size() < latest.size();
        try {
            if (fall) {
                recordFall(end);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                channel.write(b, end + b.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint not appended", e);
        }
        if (fall) {
            long[] more = Arrays.copyOf(falls, falls.length + 1);
            more[falls.length] = end;
            falls = more;
        }
        end += bytes.length;
        latest = c;
    }

    /**
     * The newest stored checkpoint of exactly this tree size that {@code wanted} takes, or null: after a fall the log
     * may hold two of one size, the lost entries' and the one signed as the tree grew again.
     */
    public Checkpoint find(long size, Predicate<Checkpoint> wanted) {
        long[] starts = falls;
        long to = end;
        for (int i = starts.length; i >= 0; i--) {
            long from = i == 0 ? 0 : starts[i - 1];
            Checkpoint c = ofSize(size, from, to, wanted);
            if (c != null) {
                return c;
            }
            to = from;
        }
        return null;
    }

    /** As {@link #find(long, Predicate)}, taking any. */
    public Checkpoint find(long size) {
        return find(size, c -> true);
    }

    /** Written, and forced, before the record it names: a fall that is not on disk is never followed by a record. */
    private void recordFall(long at) throws IOException {
        try (FileChannel f = FileChannel.open(fallsFile, EnumSet.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), OwnerOnly.file())) {
            ByteBuffer line = ByteBuffer.wrap((at + "\n").getBytes(StandardCharsets.US_ASCII));
            while (line.hasRemaining()) {
                f.write(line);
            }
            f.force(true);
        }
    }

    /** The first checkpoint of a size above {@code size} since sizes last fell, or null. */
    Checkpoint firstAbove(long size) {
        long[] starts = falls;
        return firstOfAtLeast(size + 1, starts.length == 0 ? 0 : starts[starts.length - 1], end);
    }

    /** The first checkpoint of at least {@code size} among the records starting in [from, to), or null. */
    private Checkpoint firstOfAtLeast(long size, long from, long to) {
        return ofSize(size, from, to, null);
    }

    /**
     * With {@code wanted} null, the first checkpoint of at least {@code size} (null when none is, or the record
     * there is not whole); else the first checkpoint of exactly {@code size} among
     * the records starting in [from, to) that {@code wanted} takes, or null. Within a run two records share a size
     * only where a start signed the tree again after a latest it could not trust: the one after it is then wanted.
     */
    private Checkpoint ofSize(long size, long from, long to, Predicate<Checkpoint> wanted) {
        long lo = from;
        long hi = to;
        while (hi - lo > WINDOW) {
            long mid = (lo + hi) >>> 1;
            long start = recordAtOrAfter(mid);
            Checkpoint c = start < 0 || start >= to ? null : read(start);
            if (c == null || c.size() >= size) {
                hi = mid;
            } else {
                lo = start;
            }
        }
        for (long at = recordAtOrAfter(lo); at >= 0 && at < to; at = recordAtOrAfter(at + 1)) {
            Checkpoint c = read(at);
            if (wanted == null) {
                if (c == null || c.size() >= size) {
                    return c;
                }
            } else if (c == null || c.size() > size) {
                return null;
            } else if (c.size() == size && wanted.test(c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Each checkpoint of the log, oldest first, one at a time (for {@code verify}): a log of years is not held on
     * the heap.
     */
    public void forEach(Consumer<Checkpoint> each) {
        long[] starts = falls;
        int nextFall = 0;
        long before = -1;
        String beforeNote = null;
        for (long at = end > 0 ? 0 : -1; at >= 0 && at < end; at = recordAtOrAfter(at + 1)) {
            Checkpoint c;
            try {
                c = parseAt(at);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint log " + file + ", the record at byte " + at + ": "
                        + e.getMessage(), e);
            }
            for (; nextFall < starts.length && starts[nextFall] < at; nextFall++) {
                outOfOrder("checkpoint falls " + fallsFile + " names byte " + starts[nextFall] + " of the log, "
                        + "where no record starts");
            }
            boolean recordedFall = nextFall < starts.length && starts[nextFall] == at;
            // The same size with another note is no step back: a start signs so after a latest it could not trust.
            boolean stepsBack = c.size() < before || c.size() == before && c.note().equals(beforeNote);
            if (recordedFall) {
                nextFall++;
                if (c.size() >= before) {
                    outOfOrder("checkpoint falls " + fallsFile + " records a fall at byte " + at + " of the log, "
                            + "where the size does not fall (" + before + ", then " + c.size() + ")");
                }
            } else if (stepsBack) {
                outOfOrder("checkpoint log " + file + ": the record at byte " + at + " (size " + c.size()
                        + ") does not grow on the one before it (size " + before + "), and no fall is recorded there: "
                        + "a record duplicated, moved or inserted (a search by size, as for proofs against "
                        + "?tree_size=N, may miss checkpoints)");
            }
            before = c.size();
            beforeNote = c.note();
            each.accept(c);
        }
        for (; nextFall < starts.length; nextFall++) {
            outOfOrder("checkpoint falls " + fallsFile + " names byte " + starts[nextFall] + " of the log, where no "
                    + "record starts");
        }
    }

    /**
     * Where the log is out of order, once {@link #forEach} walked it: sizes that do not grow where no fall is
     * recorded, falls recorded where sizes do not fall, and falls lines that are not a record's start. The server
     * never writes such a log; its search by size relies on the order.
     */
    public List<String> orderProblems() {
        List<String> all = new ArrayList<>(orderProblems);
        if (moreOrderProblems > 0) {
            all.add("checkpoint log " + file + ": and " + moreOrderProblems + " more places out of order");
        }
        return all;
    }

    /** Keeps the first few problems, counting the rest: a log of years reordered would name every record. */
    private void outOfOrder(String problem) {
        if (orderProblems.size() < 10) {
            orderProblems.add(problem);
        } else {
            moreOrderProblems++;
        }
    }

    private void recoverTail(boolean readOnly) throws IOException {
        long whole = 0;
        for (long at = recordBefore(end); at >= 0; at = recordBefore(at)) {
            Checkpoint c = read(at);
            if (c != null) {
                latest = c;
                whole = at + c.note().getBytes(StandardCharsets.UTF_8).length + 1;
                break;
            }
        }
        if (whole < end && readOnly) {
            damage = "checkpoint log " + file + ": the " + (end - whole) + " bytes from byte " + whole + " on are not a "
                    + "whole checkpoint" + (latest == null ? "" : " (the last whole one is of size " + latest.size()
                    + ")") + ": a write torn by a crash, or a changed or added byte; left as they are";
            end = whole;
        } else if (whole < end) {
            Path aside = file.resolveSibling(file.getFileName() + ".cut-" + System.currentTimeMillis());
            long kept = CutAside.keep(channel, whole, end, aside);
            LOG.warning("checkpoint log " + file + ": cut " + (end - whole) + " bytes after its last whole checkpoint"
                    + (latest == null ? "" : " (of size " + latest.size() + ")") + " at byte " + whole
                    + ": a record torn by a crash, or bytes the file system extended the file with"
                    + (kept > 0 ? "; the " + kept + " bytes up to the last non-zero one are kept in " + aside : ""));
            channel.truncate(whole);
            end = whole;
        }
    }

    /** The start of the last record that starts before {@code before}: after a marker, or at 0; -1 if none. */
    private long recordBefore(long before) {
        long hi = before - 2; // markers that start below this one, 2 bytes ahead of their record
        while (hi > 0) {
            long lo = Math.max(0, hi - WINDOW);
            byte[] w = bytes(lo, (int) (hi - lo) + marker.length - 1);
            for (int i = (int) (hi - lo) - 1; i >= 0; i--) {
                if (i + marker.length <= w.length && matches(w, i)) {
                    return lo + i + 2;
                }
            }
            hi = lo;
        }
        return before > 0 ? 0 : -1;
    }

    /** The start of the first record at or after {@code from}, or -1. */
    private long recordAtOrAfter(long from) {
        if (from == 0) {
            return end > 0 ? 0 : -1;
        }
        for (long at = Math.max(0, from - marker.length + 1); at < end; at += WINDOW) {
            byte[] w = bytes(at, WINDOW + marker.length);
            for (int i = 0; i + marker.length <= w.length; i++) {
                if (at + i + 2 >= from && matches(w, i)) {
                    return at + i + 2;
                }
            }
        }
        return -1;
    }

    private boolean matches(byte[] w, int i) {
        for (int j = 0; j < marker.length; j++) {
            if (w[i + j] != marker[j]) {
                return false;
            }
        }
        return true;
    }

    /** The checkpoint starting at {@code at}, or null when the record there is not whole. */
    private Checkpoint read(long at) {
        try {
            return parseAt(at);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Checkpoint parseAt(long at) {
        String text = new String(bytes(at, WINDOW), StandardCharsets.UTF_8);
        int sep = text.indexOf("\n\n", text.indexOf("\n\n") + 2);
        if (sep < 0) {
            throw new IllegalArgumentException("checkpoint record at byte " + at + " is not whole");
        }
        return Checkpoint.parse(text.substring(0, sep + 1));
    }

    private byte[] bytes(long at, int max) {
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, Math.min(max, end - at)));
        try {
            while (b.hasRemaining() && channel.read(b, at + b.position()) > 0) {
                // positional reads until the window is full or the file ends
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint log " + file + " not read at byte " + at + ": " + e, e);
        }
        return b.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
