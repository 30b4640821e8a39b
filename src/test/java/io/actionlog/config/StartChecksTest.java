package io.actionlog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.Script;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings that name files and addresses are checked before anything is opened: a bad one stops the start with
 * one line naming the key (exit 2), rather than a Java error after the data directory was made, and a path with a
 * typo never creates directories.
 */
class StartChecksTest {
    @TempDir
    Path dir;

    private static void refused(Map<String, String> values, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.of(values));
        assertTrue(e.getMessage().startsWith("configuration " + key + "="), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void filesTheServerWritesMustBeFilesInDirectoriesThatExist() {
        Path missing = dir.resolve("no-such-dir").resolve("file");
        refused(Map.of("integrity.key_file", missing.toString()), "integrity.key_file", "does not exist");
        refused(Map.of("integrity.key_file", dir.toString()), "integrity.key_file", "is a directory");
        refused(Map.of("log.file", missing.toString()), "log.file", "does not exist");
        refused(Map.of("log.file", dir.toString()), "log.file", "is a directory");
        assertFalse(Files.exists(missing.getParent()));
        assertEquals(dir.resolve("k"), Config.of(Map.of("integrity.key_file", dir.resolve("k").toString()))
                .integrity().keyFile());
    }

    @Test
    void filesTheServerReadsMustBeThereAndTlsFilesHoldTheirKindOfPem() throws Exception {
        refused(Map.of("geo.ranges_file", dir.resolve("none.csv").toString()), "geo.ranges_file", "not found");
        Path cert = Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
        Path rsa = Files.writeString(dir.resolve("r.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
        refused(Map.of("http.tls.cert_file", key.toString(), "http.tls.key_file", cert.toString()),
                "http.tls.cert_file", "holds no PEM CERTIFICATE block");
        refused(Map.of("http.tls.cert_file", cert.toString(), "http.tls.key_file", cert.toString()),
                "http.tls.key_file", "holds no PEM PRIVATE KEY block");
        assertTrue(Config.of(Map.of("http.tls.cert_file", cert.toString(), "http.tls.key_file", rsa.toString()))
                .tls().enabled());
    }

    @Test
    void hostsAndPortsThatCannotBeAreRefused() {
        for (String host : List.of("999.1.1.1", "1.2.3", "1.2.3.4.5", "notahost..x", ".x", "a".repeat(64) + ".org")) {
            refused(Map.of("http.host", host), "http.host", "expected a host name or an IP address");
        }
        for (String host : List.of("127.0.0.1", "localhost", "audit.example.org.", "::1", "0.0.0.0")) {
            assertEquals(host, Config.of(Map.of("http.host", host)).httpHost());
        }
        for (String hosts : List.of("a.com:99999", "a.com:0", "[::1]:70000")) {
            refused(Map.of("http.public_hosts", hosts), "http.public_hosts", "from 1 to 65535");
        }
        assertEquals(List.of("a.com:65535", "[::1]"), Config.of(Map.of("http.public_hosts", "a.com:65535,[::1]"))
                .publicHosts());
    }

    @Test
    void aGeoFileThatDoesNotParseStopsTheStartBeforeTheDataDirectoryIsMadeAndAPortInUseIsNamedWithTheKeys()
            throws Exception {
        Path data = dir.resolve("data");
        Path geo = Files.writeString(dir.resolve("geo.csv"), "10.0.0.0/8,Here\nnot a range\n");
        Map<String, String> env = new HashMap<>(Map.of("ACTIONLOG_DATA_DIR", data.toString(),
                "ACTIONLOG_HTTP_HOST", "127.0.0.1", "ACTIONLOG_HTTP_PORT", "0",
                "ACTIONLOG_GEO_RANGES_FILE", geo.toString()));
        Script bad = Script.run(env, ForkedServer.javaCommand(Map.of()).toArray(new String[0]));
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.out().contains("configuration geo.ranges_file='" + geo + "': " + geo + " line 2"), bad.out());
        assertFalse(Files.exists(data), "nothing is made before the settings are checked");

        env.remove("ACTIONLOG_GEO_RANGES_FILE");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            env.put("ACTIONLOG_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            Script busy = Script.run(env, ForkedServer.javaCommand(Map.of()).toArray(new String[0]));
            assertEquals(2, busy.code(), busy.out());
            assertTrue(busy.out().contains("configuration http.host and http.port='127.0.0.1:" + taken.getLocalPort()
                    + "': cannot listen there"), busy.out());
        }
    }
}
