package io.actionlog.tools;

import io.actionlog.action.ActionData;
import io.actionlog.action.State;
import io.actionlog.index.ActionIndex;
import io.actionlog.index.Query;
import io.actionlog.index.Row;
import io.actionlog.index.Sort;
import io.actionlog.index.TextKeys;
import io.actionlog.journal.ChronicleJournal;
import io.actionlog.journal.Durability;
import io.actionlog.journal.Entry;
import io.actionlog.journal.Journal;
import io.actionlog.store.ActionReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bench names}: what a Waldur page ordered by action name costs, in an index of {@code count} actions with
 * {@code names} distinct names. The actions go into a journal in a temporary directory and are replayed into an
 * index as at a start; the pages are asked of the index as the Waldur face asks them, texts (and names, where the
 * index reads them) from that journal. Pages:
 * <ul>
 * <li>{@code user_name}, {@code user_name_desc_page2}, {@code user_outcome_name}: user {@value #USER}, who has
 * {@value #USER_ACTIONS} actions spread over the index: {@code o=corrective_action_label} at offset 0,
 * {@code o=-corrective_action_label} at offset 25, {@code o=success,-corrective_action_label} at offset 0;
 * <li>{@code all_name}, {@code all_name_deep}: every action by name, at offset 0 and 50 before the end.
 * </ul>
 * First, {@code name_read_us}: one action's name read from the journal (the median of rounds of 10,000 at random
 * places). Each page is asked {@code rounds} times after {@value #WARM_UP} untimed; it prints the median and the
 * fastest in ms, the longest a write waited for the index meanwhile (a thread takes the write lock every 0.2 ms,
 * as the writer would), and a hash of the page's ids, so that two builds can be checked to give the same pages.
 */
final class NameSortCosts {
    static final String USER = "pat";
    static final int USER_ACTIONS = 50;
    private static final int PAGE = 25;
    private static final int WARM_UP = 5;
    private static final long START = 1_767_225_600_000_000L;
    /** A prime above any count asked for: multiplying by it mod the names spreads names out of id order. */
    private static final long SPREAD = 1_000_003L;

    private NameSortCosts() {
    }

    static void run(int count, int names, int rounds, PrintStream out) throws IOException {
        Path dir = Files.createTempDirectory("actionlog-names");
        try (Journal journal = ChronicleJournal.open(dir, Durability.PROCESS)) {
            fill(journal, count, names);
            ActionIndex index = new ActionIndex();
            long t0 = System.nanoTime();
            index.replay(consumer -> journal.replay(0, consumer));
            ActionReader reader = new ActionReader(journal);
            TextKeys texts = (key, row) -> key == Sort.Key.ACTION ? reader.created(row).data().action()
                    : key == Sort.Key.ERROR ? reader.read(row, ActionReader.Depth.CURRENT).error()
                    : reader.read(row, ActionReader.Depth.CURRENT).metadata();
            out.println("names_actions=" + index.size());
            out.println("names_distinct=" + names);
            out.printf(Locale.ROOT, "names_replay_ms=%.0f%n", (System.nanoTime() - t0) / 1e6);
            out.printf(Locale.ROOT, "name_read_us=%.2f%n", readMicros(index, reader, rounds));
            Sort.Term name = new Sort.Term(Sort.Key.ACTION, false);
            Sort.Term nameDesc = new Sort.Term(Sort.Key.ACTION, true);
            Sort.Term outcome = new Sort.Term(Sort.Key.OUTCOME, false);
            time(out, "user_name", index, query(USER, List.of(name), 0, texts), rounds);
            time(out, "user_name_desc_page2", index, query(USER, List.of(nameDesc), PAGE, texts), rounds);
            time(out, "user_outcome_name", index, query(USER, List.of(outcome, nameDesc), 0, texts), rounds);
            time(out, "all_name", index, query(null, List.of(name), 0, texts), rounds);
            time(out, "all_name_deep", index, query(null, List.of(name), count - 50, texts), rounds);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Action i is named {@code "action " + ((i * SPREAD + i / 1000) mod names)}, zero-padded so that text order is
     * number order (the second term keeps evenly spaced ids from sharing one name when few names divide the count),
     * and is {@value #USER}'s when i is one of {@value #USER_ACTIONS} evenly spaced ids; a fifth of them failed.
     */
    private static void fill(Journal journal, int count, int names) {
        int every = count / USER_ACTIONS;
        List<Entry> batch = new ArrayList<>(1000);
        for (int i = 0; i < count; i++) {
            long start = START + i * 1_000_000L;
            String action = String.format(Locale.ROOT, "action %07d", (i * SPREAD + i / 1000) % names);
            String user = i % every == every / 2 && i / every < USER_ACTIONS ? USER : "user" + i % 1000;
            ActionData d = new ActionData(new UUID(i + 1, i + 1), user, action, "POST", "/api/v1/service/",
                    "/api/v1/service/" + i % 10_000 + "/", List.of(), "10.0.0.1", "", "bench", "", start, true, null,
                    "bench");
            byte state = i / 7 % 5 == 0 ? State.FAILED.code : State.SUCCESS.code;
            batch.add(new Entry.Created(i + 1, d, state, start + 500_000, "", "", "{}"));
            if (batch.size() == 1000 || i == count - 1) {
                journal.append(batch);
                batch.clear();
            }
        }
    }

    /**
     * What reading one action's name from the journal costs: the median of {@code rounds} rounds, each of the names
     * of 10,000 actions at random places.
     */
    private static double readMicros(ActionIndex index, ActionReader reader, int rounds) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        int n = 10_000;
        long[] ns = new long[rounds];
        long chars = 0;
        for (int r = -WARM_UP; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                chars += reader.created(index.row(1 + random.nextInt(index.size()))).data().action().length();
            }
            if (r >= 0) {
                ns[r] = System.nanoTime() - t0;
            }
        }
        if (chars == 0) {
            throw new IllegalStateException("no names read");
        }
        Arrays.sort(ns);
        return ns[rounds / 2] / 1e3 / n;
    }

    private static Query query(String user, List<Sort.Term> terms, int offset, TextKeys texts) {
        Query.Builder b = Query.builder();
        b.user = user;
        b.sort = Sort.of(terms);
        b.texts = texts;
        b.offset = offset;
        b.limit = PAGE;
        return b.build();
    }

    private static void time(PrintStream out, String name, ActionIndex index, Query q, int rounds) {
        int[] ids = ids(index, q);
        for (int i = 1; i < WARM_UP; i++) {
            ids(index, q);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong longestWait = new AtomicLong();
        Thread writer = new Thread(() -> {
            while (!done.get()) {
                long t0 = System.nanoTime();
                index.write(() -> null);
                longestWait.accumulateAndGet(System.nanoTime() - t0, Math::max);
                LockSupport.parkNanos(200_000);
            }
        }, "bench-names-writer");
        writer.start();
        long[] ns = new long[rounds];
        try {
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                ids(index, q);
                ns[r] = System.nanoTime() - t0;
            }
        } finally {
            done.set(true);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Arrays.sort(ns);
        out.printf(Locale.ROOT, "%s_ms_median=%.3f%n", name, ns[rounds / 2] / 1e6);
        out.printf(Locale.ROOT, "%s_ms_best=%.3f%n", name, ns[0] / 1e6);
        out.printf(Locale.ROOT, "%s_write_wait_ms_max=%.3f%n", name, longestWait.get() / 1e6);
        out.println(name + "_rows=" + ids.length);
        out.println(name + "_ids_hash=" + Arrays.hashCode(ids));
    }

    private static int[] ids(ActionIndex index, Query q) {
        return index.query(q).rows().stream().mapToInt(Row::ordinal).toArray();
    }
}
