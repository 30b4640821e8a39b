package io.actionlog.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A Chronicle tailer and a scratch array that a document's bytes are copied into, so that decoding works on a
 * plain byte[] and the document is released before any decoding or consumer code runs. Confined to one thread,
 * like the tailer; the array grows to the largest entry read and is then reused.
 */
final class DocumentReader implements AutoCloseable {

    /** Entries ahead of the tailer worth stepping to rather than looking up (measured with every entry indexed). */
    private static final int STEP_LIMIT = 8;

    private final ExcerptTailer tailer;
    private byte[] scratch = new byte[1024];
    private int length;
    private long offset;

    DocumentReader(ExcerptTailer tailer) {
        this.tailer = tailer;
    }

    /** Copies the document at {@code index}; false if there is none. */
    boolean readAt(long index) {
        // After reading the entry before this one the tailer is already there: no index lookup. A few entries
        // ahead (the rows of a page read in journal order), stepping over their headers, which are in memory the
        // tailer just read, costs no more than a lookup in the index, which is elsewhere in the file.
        long ahead = index - tailer.index();
        if (ahead > 0 && ahead <= STEP_LIMIT && skip(ahead) && tailer.index() == index) {
            return readNext(index);
        }
        return (tailer.index() == index || tailer.moveToIndex(index)) && readNext(index);
    }

    /** Steps over {@code n} documents without reading them; false if the cycle ends first. */
    private boolean skip(long n) {
        for (long i = 0; i < n; i++) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Copies the next document, which must be the one at {@code expectedIndex}; false if it is not. */
    boolean readNext(long expectedIndex) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || dc.index() != expectedIndex) {
                return false;
            }
            Bytes<?> bytes = dc.wire().bytes();
            // A cycle file's bytes are addressed by their offset in the file; the document follows its 4-byte header.
            offset = bytes.readPosition() - 4;
            int n = (int) bytes.readRemaining();
            if (n > scratch.length) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            bytes.read(scratch, 0, n);
            length = n;
            return true;
        }
    }

    /** Appends the last copied document, as it is, to another queue. */
    void appendTo(net.openhft.chronicle.queue.ExcerptAppender appender) {
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(scratch, 0, length);
        }
    }

    /** Whether the last documents the two readers copied hold the same bytes. */
    boolean sameDocument(DocumentReader other) {
        return java.util.Arrays.equals(scratch, 0, length, other.scratch, 0, other.length);
    }

    /** Where the header of the last copied document is in its cycle file. */
    long offset() {
        return offset;
    }

    /** Bytes of the last copied document. */
    int length() {
        return length;
    }

    /** Decodes the last copied document. */
    Entry decode(long position, ValueTable values) {
        return decode(position, values, null, true);
    }

    /** As {@link #decode(long, ValueTable)}, with the options of {@link EntryCodec#decode}'s long form. */
    Entry decode(long position, ValueTable values, ValueNumbers numbers, boolean texts) {
        try {
            return EntryCodec.decode(scratch, 0, length, values, numbers, texts);
        } catch (CorruptEntryException e) {
            throw new CorruptEntryException("entry at position " + position + ": " + e.getMessage());
        }
    }

    /** Copies the last copied document into {@code into} and reads it as a Created entry (see {@link CreatedBytes}). */
    void scanCreated(long position, ValueTable values, CreatedBytes into) {
        if (into.entry.length < length) {
            into.entry = new byte[Math.max(length, 256)];
        }
        System.arraycopy(scratch, 0, into.entry, 0, length);
        into.size = length;
        try {
            EntryCodec.scanCreated(into.entry, 0, length, values, into);
        } catch (CorruptEntryException e) {
            throw new CorruptEntryException("entry at position " + position + ": " + e.getMessage());
        }
    }

    /**
     * Copies the last copied document into {@code into}'s own array and reads it there (see {@link EntryBytes}). A
     * copy, not a swap of arrays: a holder reused entry after entry (verify's batches) then keeps its array, and no
     * reference is stored per entry.
     */
    void read(long position, ValueTable values, boolean learn, EntryBytes into) {
        into.take(scratch, length);
        try {
            into.read(values, learn);
        } catch (CorruptEntryException e) {
            throw new CorruptEntryException("entry at position " + position + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        tailer.close();
    }
}
