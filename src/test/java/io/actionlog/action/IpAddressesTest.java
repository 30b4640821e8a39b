package io.actionlog.action;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "255.255.255.255", "0.0.0.0", "9.99.199.249", "::1", "::", "2001:db8::1",
            "1:2:3:4:5:6:7:8", "FFFF::", "0:0:0:0:0:0:0:0", "::0001", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7",
            "fe80::1%eth0", "fe80::1%25", "fe80::1%br-1f2e.100", "fe80::1%wlp2s0", "::ffff:192.0.2.1", "::192.0.2.1", "64:ff9b::192.0.2.33",
            "1:2:3:4:5:6:192.0.2.1", "1::192.0.2.1"})
    void addressLiteralsAreAccepted(String literal) {
        assertTrue(IpAddresses.valid(literal), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "example.com", "localhost", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3",
            "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.+4", "1.2.3.0004", "1.2.3.a", "01.2.3.4", "010.0.0.1", "1.2.3.00",
            "0x7f.0.0.1", "2130706433", "\u0661.2.3.4", "1.2.3.4%eth0", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::",
            "00001::", ":::", ":1::2", "1::2:", ":1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:", "1:2:3:4:5:6:7:8::", "g::1",
            "[::1]", "[::1%eth0]", "fe80::1%", "::ffff:1.2.3.256", "::ffff:1.2.3.04", "::ffff:010.1.2.3",
            "1:2:3:4:5:6:7:1.2.3.4", ":1.2.3.4", "::1.2.3", "\uff11::1", "fe80::1%<x>", "fe80::1%a b", "fe80::1%eth0%1",
            "fe80::1%\u00e9", "fe80::1%eth0\n",
            "fe80::1%aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void anythingElseIsRefused(String text) {
        assertFalse(IpAddresses.valid(text), text);
    }
}
