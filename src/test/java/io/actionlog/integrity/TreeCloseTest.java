package io.actionlog.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.actionlog.support.Await;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop whose writer did not finish in time closes the tree while the writer thread may still flush it: the close
 * waits for that flush instead of writing the same hashes beside it, and the file holds every leaf flushed.
 */
class TreeCloseTest {
    @TempDir
    Path dir;

    @Test
    void closeWaitsForAFlushUnderWayOnAnotherThread() throws Exception {
        Path file = dir.resolve("tree");
        FailingChannel channel = new FailingChannel(FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE));
        TreeFile tree = TreeFile.open(channel);
        MessageDigest sha = Merkle.sha256();
        int leaves = 100;
        for (int i = 0; i < leaves; i++) {
            tree.append(sha.digest(new byte[] {(byte) i}));
        }
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        channel.beforeWrite = () -> {
            channel.beforeWrite = FailingChannel.PASS;
            writing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        };
        CompletableFuture<Void> flushed = CompletableFuture.runAsync(tree::flush);
        writing.await(30, TimeUnit.SECONDS);
        // The close's own failure, if any, comes back through its future.
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                tree.close();
                closed.complete(null);
            } catch (IOException | RuntimeException e) {
                closed.completeExceptionally(e);
            }
        });
        closer.start();
        Await.until(closer::getState, s -> s == Thread.State.BLOCKED || s == Thread.State.TERMINATED, 30,
                "the close to wait for the flush or to end");
        release.countDown();
        closed.get(30, TimeUnit.SECONDS);
        flushed.get(30, TimeUnit.SECONDS);
        assertFalse(channel.overlapped, "two writes at once");
        try (TreeFile reopened = TreeFile.open(file); TreeFile reference = TreeFile.open(dir.resolve("reference"))) {
            for (int i = 0; i < leaves; i++) {
                reference.append(sha.digest(new byte[] {(byte) i}));
            }
            reference.flush();
            assertEquals(leaves, reopened.size());
            assertArrayEquals(Files.readAllBytes(dir.resolve("reference")), Files.readAllBytes(file));
        }
    }
}
