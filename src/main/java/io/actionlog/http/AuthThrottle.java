package io.actionlog.http;

import io.actionlog.auth.AuthException;
import io.actionlog.config.AddressRanges;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Failed authentications per client address. More than {@code maxFailures} within {@code window} blocks the address
 * for {@code block}: every request from it is then refused (429) without looking at its credentials, because a
 * block that still let a right key through would answer the guesser's question at full speed.
 *
 * <p>Only presented-and-wrong credentials count; a request without any does not. A successful authentication costs
 * one volatile read while no address is tracked and one short synchronised lookup otherwise; it never waits.
 * The table holds at most {@code capacity} addresses, least recently failed first out, so an attacker rotating
 * addresses cannot grow it (at worst it pushes older entries out). The address is the client's as
 * {@link ClientAddress} finds it: the TCP peer, or behind a trusted proxy the address the proxy forwarded. A
 * {@code maxFailures} of 0 switches the throttle off; addresses in {@code exempt} are never counted nor refused (a
 * recorder on a known address, or every client behind one NAT address). Thread-safe: called from every event loop.
 */
public final class AuthThrottle {
    private static final Logger LOG = Logger.getLogger(AuthThrottle.class.getName());

    private static final class Tracker {
        long windowStart;
        int failures;
        long blockedUntil;
    }

    private final int maxFailures;
    private final ClientAddress clients;
    private final AddressRanges exempt;
    private final long windowNanos;
    private final long blockNanos;
    private final LongSupplier clock;
    private final Map<String, Tracker> table;
    private final LongAdder failures = new LongAdder();
    private volatile boolean empty = true;

    public AuthThrottle(int maxFailures, int windowSeconds, int blockSeconds, int capacity, LongSupplier nanoClock,
                        ClientAddress clients, AddressRanges exempt) {
        this.maxFailures = maxFailures;
        this.clients = clients;
        this.exempt = exempt;
        this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
        this.blockNanos = TimeUnit.SECONDS.toNanos(blockSeconds);
        this.clock = nanoClock;
        this.table = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Tracker> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The one gate every authentication passes, REST and streams alike: a 429 with {@code Retry-After} while the
     * request's address is blocked, without trying the credentials; otherwise the attempt, whose failure is
     * counted when credentials were presented.
     */
    public <T> T admit(HttpServerRequest request, Supplier<T> attempt) {
        String address = clients.address(request);
        if (maxFailures == 0 || exempt.contains(address)) {
            return attempt.get();
        }
        long wait = blockedSeconds(address);
        if (wait > 0) {
            request.response().putHeader("Retry-After", Long.toString(wait));
            throw new HttpError(429, "too many failed authentications from this address; try again in " + wait
                    + " s");
        }
        try {
            return attempt.get();
        } catch (AuthException e) {
            if (!e.missing()) {
                failed(address);
            }
            throw e;
        }
    }

    /** Whole seconds until the address may try again (rounded up), or 0 when it is not blocked. */
    public long blockedSeconds(String address) {
        if (empty) {
            return 0;
        }
        long now = clock.getAsLong();
        synchronized (table) {
            Tracker t = table.get(address);
            if (t == null || t.blockedUntil - now <= 0) {
                return 0;
            }
            return Math.max(1, (t.blockedUntil - now + 999_999_999L) / 1_000_000_000L);
        }
    }

    /** Counts one failed authentication from the address. */
    public void failed(String address) {
        failures.increment();
        long now = clock.getAsLong();
        synchronized (table) {
            Tracker t = table.computeIfAbsent(address, a -> new Tracker());
            empty = false;
            if (t.failures == 0 || now - t.windowStart > windowNanos) {
                t.windowStart = now;
                t.failures = 0;
            }
            if (++t.failures > maxFailures) {
                t.blockedUntil = now + blockNanos;
                t.failures = 0;
                LOG.warning("address " + address + " refused for " + TimeUnit.NANOSECONDS.toSeconds(blockNanos)
                        + " s after more than " + maxFailures + " failed authentications");
            }
        }
    }

    /** Addresses tracked now (for tests and metrics). */
    public int tracked() {
        synchronized (table) {
            return table.size();
        }
    }

    /** Failed authentications counted since the start. */
    public long failures() {
        return failures.sum();
    }

    /** Addresses blocked now: a walk of the table, at most {@code capacity} entries, for /metrics. */
    public int blocked() {
        long now = clock.getAsLong();
        synchronized (table) {
            return (int) table.values().stream().filter(t -> t.blockedUntil - now > 0).count();
        }
    }
}
