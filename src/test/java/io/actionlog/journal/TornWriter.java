package io.actionlog.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM by {@link JournalRecoveryTest}: starts appending an entry the way the journal does, writes
 * half of it and dies without any cleanup, as a server does under kill -9 or a power cut in mid-write.
 */
public final class TornWriter {

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        AtomicLong clock = new AtomicLong(Long.parseLong(args[1]));
        SingleChronicleQueue queue = ChronicleJournal.buildQueue(dir, new ChronicleJournal.Options(clock::get,
                CycleFileSync.FSYNC, 0));
        ExcerptAppender appender = queue.createAppender();
        EncodeBuffer buffer = new EncodeBuffer(256);
        int length = EntryCodec.encode(Entries.typical(999), buffer, new ValueTable());
        DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().write(buffer.array(), 0, length / 2);
        System.out.println("torn");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
