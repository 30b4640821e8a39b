package io.actionlog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.actionlog.config.AddressRanges;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle on its own, on a clock the test advances. */
class AuthThrottleTest {
    @Test
    void theTableOfAddressesStaysBoundedAndWindowsExpire() {
        AtomicLong now = new AtomicLong();
        AuthThrottle t = new AuthThrottle(2, 10, 60, 100, now::get, new ClientAddress(AddressRanges.none()),
                AddressRanges.none());
        for (int i = 0; i < 10_000; i++) {
            t.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        assertEquals(100, t.tracked());
        t.failed("a");
        t.failed("a");
        now.addAndGet(11_000_000_000L);
        t.failed("a");
        assertEquals(0, t.blockedSeconds("a"), "failures spread over more than the window do not add up");
        t.failed("a");
        t.failed("a");
        assertEquals(60, t.blockedSeconds("a"));
        now.addAndGet(59_500_000_000L);
        assertEquals(1, t.blockedSeconds("a"), "rounded up");
        now.addAndGet(1_000_000_000L);
        assertEquals(0, t.blockedSeconds("a"));
    }
}
