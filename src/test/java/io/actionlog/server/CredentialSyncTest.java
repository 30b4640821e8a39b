package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Await;
import io.actionlog.support.LogCapture;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A reload that keeps failing, once a second, for the same reason, is logged once a minute, not once a second. */
class CredentialSyncTest {
    @Test
    void theSameFailureIsSaidOnceAMinuteAndAnotherOrTheRecoveryAtOnce() {
        AtomicLong clock = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>("this node takes no writes");
        CredentialSync sync = new CredentialSync(() -> {
            if (failure.get() != null) {
                throw new IOException(failure.get());
            }
            return true;
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            for (int second = 0; second < 120; second++) {
                clock.set(second * 1_000_000_000L);
                assertFalse(sync.run());
            }
            assertEquals(2, count(log, "takes no writes"), log.messages().toString());
            failure.set("the journal is closed");
            assertFalse(sync.run());
            assertEquals(1, count(log, "the journal is closed"), log.messages().toString());
            failure.set(null);
            assertTrue(sync.run());
            assertTrue(log.any("reloaded and their changes recorded again"), log.messages().toString());
        }
    }

    /** Some reasons have no message (a channel closed under the reload): still a failure logged, not a crash. */
    @Test
    void aFailureWithoutAMessageIsLoggedByItsKind() {
        AtomicLong clock = new AtomicLong();
        CredentialSync sync = new CredentialSync(() -> {
            throw new java.nio.channels.ClosedChannelException();
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            assertFalse(sync.run());
            clock.set(1_000_000_000L);
            assertFalse(sync.run());
            assertEquals(1, count(log, "ClosedChannelException"), log.messages().toString());
        }
    }

    /**
     * A full disk is refused with its free bytes in the reason, a broker timeout with the milliseconds it waited: the
     * same reason each try, although its numbers change, so it is said once a minute all the same.
     */
    @Test
    void aReasonWhoseNumbersChangeEachTryIsSaidOnceAMinute() {
        AtomicLong clock = new AtomicLong();
        CredentialSync sync = new CredentialSync(() -> {
            throw new IOException("journal has " + (5_000_000 - clock.get() / 1_000_000) + " bytes free");
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            for (int second = 0; second < 120; second++) {
                clock.set(second * 1_000_000_000L);
                assertFalse(sync.run());
            }
            assertEquals(2, count(log, "bytes free"), log.messages().toString());
        }
    }

    /**
     * Brokers that come and go make the reload fail and succeed by turns: the failure is said once a minute and the
     * recovery once after each time it was said, not two lines a second.
     */
    @Test
    void aReloadThatFailsAndSucceedsByTurnsIsSaidOnceAMinute() {
        AtomicLong clock = new AtomicLong();
        CredentialSync sync = new CredentialSync(() -> {
            if (clock.get() / 1_000_000_000L % 2 == 0) {
                throw new IOException("this node takes no writes");
            }
            return false;
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            for (int second = 0; second < 120; second++) {
                clock.set(second * 1_000_000_000L);
                sync.run();
            }
            assertEquals(2, count(log, "takes no writes"), log.messages().toString());
            assertEquals(2, count(log, "recorded again"), log.messages().toString());
        }
    }

    /** A write that times out here one try and at the brokers the next gives two reasons by turns: each once a minute. */
    @Test
    void twoReasonsByTurnsAreEachSaidOnceAMinute() {
        AtomicLong clock = new AtomicLong();
        CredentialSync sync = new CredentialSync(() -> {
            throw new IOException(clock.get() / 1_000_000_000L % 2 == 0 ? "not applied in time" : "brokers refused it");
        }, clock::get);
        try (LogCapture log = LogCapture.of(Server.class.getName())) {
            for (int second = 0; second < 120; second++) {
                clock.set(second * 1_000_000_000L);
                assertFalse(sync.run());
            }
            assertEquals(2, count(log, "not applied in time"), log.messages().toString());
            assertEquals(2, count(log, "brokers refused it"), log.messages().toString());
        }
    }

    /**
     * A reload waits up to 10 s for a writer that does not answer: the ticks of that time queue no runs behind it, so
     * none pile up while the writer is stuck, to run all at once when it answers again.
     */
    @Test
    void ticksWhileAReloadWaitsQueueNoMoreReloads() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch answer = new CountDownLatch(1);
        CredentialSync sync = new CredentialSync(() -> {
            runs.incrementAndGet();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, System::nanoTime);
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<Void> ticked = new CompletableFuture<>();
            context.runOnContext(v -> {
                for (int i = 0; i < 50; i++) {
                    sync.tick(vertx);
                }
                ticked.complete(null);
            });
            ticked.get(10, TimeUnit.SECONDS);
            Await.until(runs::get, n -> n == 1, 10, "the first reload runs");
            answer.countDown();
            CompletableFuture<Void> last = new CompletableFuture<>();
            // Ordered on the context: runs after every reload the ticks queued.
            context.runOnContext(v -> vertx.executeBlocking(() -> last.complete(null)));
            last.get(10, TimeUnit.SECONDS);
            assertEquals(1, runs.get());
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static long count(LogCapture log, String part) {
        return log.messages().stream().filter(m -> m.contains(part)).count();
    }
}
