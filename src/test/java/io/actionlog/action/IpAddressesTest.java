package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IpAddressesTest {
    @Test
    void literalsOfBothFamiliesAreCheckedWithoutAResolver() {
        for (String ok : new String[] {"10.0.0.1", "255.255.255.255", "::1", "2001:db8::1", "::", "fe80::1%eth0",
                "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "0.0.0.0", "9.99.199.249"}) {
            assertTrue(IpAddresses.valid(ok), ok);
        }
        for (String bad : new String[] {"256.0.0.1", "1.2.3", "01.2.3.4", "1::2::3", "1:2:3:4:5:6:7:8:9", "example.com",
                "12345::", ":::", "1.2.3.4.5", "", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4 ", "1.2.3.+4", "1.2.3.0004",
                "1.2.3.a", "::ffff:1.2.3.256"}) {
            assertFalse(IpAddresses.valid(bad), bad);
        }
    }
}
