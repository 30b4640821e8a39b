package io.actionlog.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file channel whose writes run {@link #beforeWrite} first: a test makes them fail (a full disk) or wait. Notes
 * whether two writes were ever under way at once. Everything else is the real file's.
 */
final class FailingChannel extends FileChannel {
    /** Run before each write, on the writing thread. */
    @FunctionalInterface
    interface Hook {
        void run() throws IOException;
    }

    static final Hook PASS = () -> { };
    static final Hook DISK_FULL = () -> {
        throw new IOException("No space left on device");
    };

    private final FileChannel file;
    private final AtomicInteger writing = new AtomicInteger();
    volatile Hook beforeWrite = PASS;
    volatile boolean overlapped;

    FailingChannel(FileChannel file) {
        this.file = file;
    }

    private void enter() throws IOException {
        if (writing.incrementAndGet() > 1) {
            overlapped = true;
        }
        try {
            beforeWrite.run();
        } catch (IOException | RuntimeException e) {
            writing.decrementAndGet();
            throw e;
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        enter();
        try {
            return file.write(src, position);
        } finally {
            writing.decrementAndGet();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        enter();
        try {
            return file.write(src);
        } finally {
            writing.decrementAndGet();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        enter();
        try {
            return file.write(srcs, offset, length);
        } finally {
            writing.decrementAndGet();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("not used by the tree");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
