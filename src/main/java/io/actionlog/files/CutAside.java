package io.actionlog.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.logging.Logger;

/**
 * Keeps the bytes a recovery is about to cut from a file: a torn write looks like damage in the middle of a file,
 * and the other way round, so what is cut may be evidence (entries after a changed header, a checkpoint after a
 * changed byte). The bytes up to the last non-zero one are copied to a file of their own beside it, owner-only;
 * trailing zeros (a file the system extended but never wrote) are not worth a copy.
 */
public final class CutAside {
    private static final Logger LOG = Logger.getLogger(CutAside.class.getName());
    private static final int WINDOW = 1 << 20;

    private CutAside() {
    }

    /**
     * Copies {@code [from, to)} of {@code channel}, without its trailing zeros, to {@code aside}; returns the bytes
     * copied (0: they were all zeros, and no file is written). A copy that fails (a full disk, which is when torn
     * writes happen) is logged and removed, and -1 returned: the cut goes ahead, or the server could not start.
     */
    public static long keep(FileChannel channel, long from, long to, Path aside) throws IOException {
        long end = lastNonZero(channel, from, to) + 1;
        if (end <= from) {
            return 0;
        }
        FileChannel out;
        try {
            out = FileChannel.open(aside, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OwnerOnly.file());
        } catch (IOException e) {
            LOG.severe("could not create " + aside + " to keep the " + (end - from) + " bytes about to be cut (" + e
                    + "); they are cut without a copy");
            return -1;
        }
        try (out) {
            for (long at = from; at < end; ) {
                at += channel.transferTo(at, end - at, out);
            }
            out.force(true);
            return end - from;
        } catch (IOException e) {
            LOG.severe("could not keep the " + (end - from) + " bytes about to be cut in " + aside + " (" + e
                    + "); they are cut without a copy");
            Files.deleteIfExists(aside);
            return -1;
        }
    }

    /** The offset of the last non-zero byte in [from, to), or from - 1; read backwards a window at a time. */
    private static long lastNonZero(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(WINDOW);
        for (long hi = to; hi > from; ) {
            long lo = Math.max(from, hi - WINDOW);
            buffer.clear().limit((int) (hi - lo));
            while (buffer.hasRemaining() && channel.read(buffer, lo + buffer.position()) > 0) {
                // positional reads until the window is full
            }
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) != 0) {
                    return lo + i;
                }
            }
            hi = lo;
        }
        return from - 1;
    }
}
