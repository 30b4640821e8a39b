package io.actionlog.store;

import io.actionlog.action.Action;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Expiry;
import io.actionlog.index.Row;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.roaringbitmap.RoaringBitmap;

/**
 * Retention (README, "Retention"): a finished action expires once its end date is more than {@code days} days ago,
 * or, while the journal's data takes more than {@code maxJournalBytes}, once it is among the oldest; the journal's
 * oldest day files are then dropped whole. One run is one {@link Writer} command, so it changes the journal and the
 * index as every write does, through {@code apply}, and a restart replays it:
 * <ol>
 * <li>an {@link Entry.Expired} entry (or several, for many ranges) names the actions that expire;</li>
 * <li>each action that stays but has its first entry in a file to be dropped is carried forward: a Created entry
 * with {@code carried} set holds its whole current state under the same id and uuid;</li>
 * <li>an {@link Entry.Dropped} entry names the positions dropped and the highest id given, and the journal is
 * synced;</li>
 * <li>the journal records its new start and deletes the files ({@link Journal#drop}).</li>
 * </ol>
 * A crash between any two steps loses nothing live: the entries of a step are complete before the next begins, and
 * the files go last. A file is dropped only with every older one (the journal stays one run of positions), and
 * only when at least as many of the actions first recorded in it are gone as stay, so a run never rewrites much
 * more than it reclaims.
 *
 * <p>Threads: {@link #run} from any thread; the work happens on the writer thread, under the index's write lock.
 */
public final class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());
    static final long DAY_MICROS = 86_400_000_000L;
    /** Id ranges per Expired entry: keeps one entry (and its leaf in the tree) well under a megabyte. */
    static final int RANGES_PER_ENTRY = 32_768;
    /**
     * Test seam for crash tests: the name of a step ({@code expired}, {@code carried}, {@code recorded},
     * {@code head}) at which a run stops for good, so that the process can be killed there.
     */
    static final String PAUSE_PROPERTY = "actionlog.retention.pause_at";

    /** {@code days} 0: no expiry by age; {@code maxJournalBytes} 0: no limit on size. */
    public record Policy(int days, long maxJournalBytes) {
        public boolean active() {
            return days > 0 || maxJournalBytes > 0;
        }
    }

    private final Journal journal;
    private final ActionIndex index;
    private final ActionReader reader;
    private final Writer writer;
    private final Policy policy;
    private final LongSupplier nowMicros;

    public Retention(Journal journal, ActionIndex index, Writer writer, Policy policy, LongSupplier nowMicros) {
        this.journal = journal;
        this.index = index;
        this.reader = new ActionReader(journal);
        this.writer = writer;
        this.policy = policy;
        this.nowMicros = nowMicros;
    }

    public Policy policy() {
        return policy;
    }

    /** Runs the policy once; {@code trigger} (start, schedule, admin) goes into the report and the log. */
    public CompletableFuture<RetentionReport> run(String trigger) {
        return writer.submit(appender -> onWriter(appender, trigger));
    }

    private RetentionReport onWriter(Writer.Appender appender, String trigger) {
        long t0 = System.nanoTime();
        if (!policy.active()) {
            return RetentionReport.nothing(trigger, "off", journal.first());
        }
        long[] segments = journal.segments();
        if (segments.length == 0) {
            return RetentionReport.nothing(trigger, policyName(false), journal.first()); // an empty journal
        }
        RoaringBitmap expiring = policy.days() > 0
                ? Expiry.finishedBefore(index, nowMicros.getAsLong() - policy.days() * DAY_MICROS) : new RoaringBitmap();
        long dropTo = byAge(segments, expiring);
        long bySize = bySize(segments);
        if (bySize > dropTo) {
            expiring.or(Expiry.finishedCreatedBefore(index, bySize));
            dropTo = bySize;
        }
        dropTo = Expiry.withoutStragglers(index, segments, dropTo, expiring);
        String name = policyName(bySize > journal.first());
        long expired = expire(appender, expiring, name);
        pause("expired");
        if (dropTo <= journal.first()) {
            return report(trigger, name, expired, 0, null, t0);
        }
        int carried = carry(appender, dropTo);
        pause("carried");
        appender.append(new Entry.Dropped(name, journal.first(), dropTo, Expiry.highestId(index)));
        journal.sync();
        pause("recorded");
        Journal.Dropped dropped = journal.drop(dropTo, () -> pause("head"));
        return report(trigger, name, expired, carried, dropped, t0);
    }

    /**
     * Where the journal may start once the expiring actions are gone: after the longest run of oldest closed files
     * in which the actions gone (expired before, or now) are at least as many as those that stay, with any gone.
     */
    private long byAge(long[] segments, RoaringBitmap expiring) {
        int[][] tally = Expiry.tally(index, segments, expiring);
        long to = journal.first();
        boolean reclaims = false;
        for (int k = 0; k + 1 < segments.length && tally[k][1] >= tally[k][0]; k++) {
            reclaims |= tally[k][1] > 0;
            to = segments[k + 1];
        }
        return reclaims ? to : journal.first();
    }

    /** Where the journal must start for its data to fit in {@code maxJournalBytes}; the last file always stays. */
    private long bySize(long[] segments) {
        if (policy.maxJournalBytes() == 0) {
            return journal.first();
        }
        long[] bytes = journal.segmentBytes();
        long total = Arrays.stream(bytes).sum();
        if (total <= policy.maxJournalBytes()) {
            return journal.first();
        }
        int k = 0;
        long left = total;
        while (left > policy.maxJournalBytes() && k + 1 < segments.length) {
            left -= bytes[k++];
        }
        LOG.warning("retention: the journal holds " + total + " bytes of data, more than retention.max_journal_bytes "
                + policy.maxJournalBytes() + "; the finished actions first recorded in its " + k + " oldest file(s) "
                + "expire" + (left > policy.maxJournalBytes() ? ", and the journal still does not fit: the file being "
                + "written (" + left + " bytes) is never dropped" : ""));
        return segments[k];
    }

    private String policyName(boolean bySize) {
        String days = policy.days() > 0 ? "days=" + policy.days() : null;
        String size = bySize ? "max_journal_bytes=" + policy.maxJournalBytes() : null;
        return days != null && size != null ? days + "," + size : days != null ? days : size != null ? size : "none";
    }

    private static long expire(Writer.Appender appender, RoaringBitmap ordinals, String policyName) {
        long[] ranges = Expiry.idRanges(ordinals);
        for (int i = 0; i < ranges.length; i += 2 * RANGES_PER_ENTRY) {
            long[] part = Arrays.copyOfRange(ranges, i, Math.min(ranges.length, i + 2 * RANGES_PER_ENTRY));
            appender.append(new Entry.Expired(policyName, part));
        }
        return ordinals.getLongCardinality();
    }

    /**
     * Re-records every action that stays and has its first entry below {@code dropTo}; returns how many. The carried
     * Created entry holds the current state, end date, error and metadata and the logs given at creation; each
     * later log append follows as an entry of its own with its own time, so that the log streams' timestamps
     * survive the drop.
     */
    private int carry(Writer.Appender appender, long dropTo) {
        long[] ids = Expiry.liveCreatedBefore(index, dropTo, new RoaringBitmap());
        for (long id : ids) {
            Row row = index.row(id);
            Entry.Created c = reader.created(row);
            Action now = reader.read(row, ActionReader.Depth.CURRENT, c);
            LongArrayList appends = reader.logs().appendPositions(row);
            long carried = appender.append(new Entry.Created(id, c.data(), row.state(), row.endDate(), c.logs(),
                    now.error(), now.metadata(), true));
            long previous = carried;
            for (int i = 0; i < appends.size(); i++) {
                Entry.LogAppended l = (Entry.LogAppended) journal.read(appends.getLong(i));
                // No state entry: the carried Created holds the state these lines now follow.
                previous = appender.appendCopy(new Entry.LogAppended(id, previous, Entry.NO_POSITION, l.at(),
                        l.text()));
            }
        }
        return ids.length;
    }

    private RetentionReport report(String trigger, String name, long expired, int carried, Journal.Dropped dropped,
                                   long t0) {
        RetentionReport r = new RetentionReport(trigger, name, expired, carried,
                dropped == null ? List.of() : dropped.files(), dropped == null ? 0 : dropped.bytes(),
                dropped == null ? journal.first() : dropped.from(), journal.first(),
                (System.nanoTime() - t0) / 1_000_000);
        if (expired > 0 || dropped != null) {
            LOG.info("retention (" + trigger + ", " + name + "): " + r.summary());
        }
        return r;
    }

    private static void pause(String step) {
        if (step.equals(System.getProperty(PAUSE_PROPERTY))) {
            LOG.warning("retention paused at step " + step + " (" + PAUSE_PROPERTY + ")");
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
