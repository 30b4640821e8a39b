package io.actionlog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings of TLS, proxies, the throttle and the logs: checked at start, each error naming its key. */
class ApplianceSettingsTest {
    @TempDir
    Path dir;

    @Test
    void rangesMatchAddressesOfTheirFamilyOnly() {
        AddressRanges r = AddressRanges.parse(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32"));
        assertTrue(r.contains("10.200.3.4"));
        assertTrue(r.contains("192.0.2.7"));
        assertFalse(r.contains("192.0.2.8"));
        assertTrue(r.contains("2001:db8::1"));
        assertTrue(r.contains("::ffff:10.1.1.1"), "an IPv4 peer seen on an IPv6 socket");
        assertFalse(r.contains("11.0.0.1"));
        assertFalse(r.contains("unknown"));
        assertFalse(r.contains("example.org"), "names are never looked up");
    }

    @Test
    void aBadRangeStopsTheStartNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.of(Map.of("http.trusted_proxies", "10.0.0.0/8,example.org")));
        assertTrue(e.getMessage().contains("http.trusted_proxies") && e.getMessage().contains("example.org"),
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> Config.of(Map.of("auth.throttle_exempt", "10.0.0.0/33")));
        assertTrue(e.getMessage().contains("auth.throttle_exempt") && e.getMessage().contains("0 to 32"),
                e.getMessage());
    }

    @Test
    void tlsNeedsBothReadableFiles() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.of(Map.of("http.tls.cert_file", cert.toString())));
        assertTrue(e.getMessage().contains("http.tls.key_file"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Config.of(Map.of("http.tls.cert_file", cert.toString(),
                "http.tls.key_file", dir.resolve("missing.pem").toString())));
        assertTrue(e.getMessage().contains("not found or not readable"), e.getMessage());
        assertFalse(Config.of(Map.of()).tls().enabled());
    }

    @Test
    void theThrottleMayBeOffAndLogsHaveTheirDefaults() {
        Config c = Config.of(Map.of("auth.max_failures", "0"));
        assertEquals(0, c.authMaxFailures());
        assertEquals("text", c.logging().format());
        assertFalse(c.logging().access());
        assertThrows(ConfigException.class, () -> Config.of(Map.of("log.format", "xml")));
        assertFalse(c.summary().contains("admin"), c.summary());
    }
}
