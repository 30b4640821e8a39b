package io.actionlog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.ForkedServer;
import io.actionlog.support.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void theShippedFileHoldsTheDefaults() {
        Config c = ConfigLoader.load(Path.of("conf", "config.json"));
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(8080, c.httpPort());
        assertEquals(Path.of("./data"), c.dataDir());
        assertEquals("process", c.durability());
        assertNull(c.adminKey());
        assertEquals(Config.of(Map.of()), c);
    }

    @Test
    void eventLoopsDefaultToOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), Config.of(Map.of()).httpEventLoops());
        assertEquals(3, Config.of(Map.of("http.event_loops", "3")).httpEventLoops());
    }

    @Test
    void publicHostsAreAnOptionalListOfHostsWithPorts() {
        assertEquals(java.util.List.of(), Config.of(Map.of()).publicHosts());
        assertEquals(java.util.List.of("audit.example.org", "[::1]:8443", "10.0.0.1:80"),
                Config.of(Map.of("http.public_hosts", "Audit.Example.org, [::1]:8443,10.0.0.1:80")).publicHosts());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "http.port,70000", "http.port,eighty", "http.port,-1", "journal.durability,fast",
        "http.max_body_bytes,10", "writer.queue_capacity,0", "auth.admin_key,short", "http.host,bad host!",
        "http.event_loops,-1", "http.event_loops,1000", "http.max_connections,0", "http.header_timeout_seconds,0",
        "http.idle_timeout_seconds,none",
        "http.public_hosts,evil.example/x",
    })
    void aBadValueStopsTheStartNamingKeyAndValue(String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.of(Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        if (!key.equals("auth.admin_key")) {
            assertTrue(e.getMessage().contains(value), e.getMessage());
        } else {
            assertFalse(e.getMessage().contains(value), "a secret is not echoed");
        }
    }

    @Test
    void aFileCanNestOrDotKeysAndUnknownKeysAreRefused() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"http\":{\"port\":9191},\"journal\":{\"durability\":\"os\"}}");
        Config c = ConfigLoader.load(f);
        assertEquals(9191, c.httpPort());
        assertEquals("os", c.durability());
        Files.writeString(f, "{\"http\":{\"prot\":9191}}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().contains("http.prot"));
        assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("missing.json")));
    }

    /** A typo at the file's top level ran with the default, as if the key were not there. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"retention.day\":30}|retention.day is unknown",
        "{\"port\":9000}|port is unknown",
        "{\"retention_days\":30}|retention_days is unknown",
        "{\"integrity\":\"oops\"}|integrity is a group of keys",
        "{\"http\":5}|http is a group of keys",
        "{\"bogus\":{\"port\":1}}|bogus is unknown",
        "{\"integrity\":{\"origin\":\"nested\"},\"integrity.origin\":\"dotted\"}|integrity.origin is given twice",
    })
    void anUnknownKeyAtTheFilesTopLevelStopsTheStart(String json, String message) throws Exception {
        Path f = dir.resolve("top.json");
        Files.writeString(f, json);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f));
        assertTrue(e.getMessage().contains("configuration key " + message), e.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.loadOffline(f, Map.of()));
        Files.writeString(f, "{\"retention.days\":30,\"http.tls\":{},\"kafka.client_properties.acks\":\"all\"}");
        assertEquals(30, ConfigLoader.load(f).retention().days());
    }

    @Test
    void clusterModeNeedsItsBrokersAndPassesClientPropertiesThrough() throws Exception {
        assertEquals("chronicle", Config.of(Map.of()).cluster().kind());
        ConfigException missing = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Config.of(Map.of("journal.kind", "kafka")));
        org.junit.jupiter.api.Assertions.assertTrue(missing.getMessage().contains("kafka.bootstrap_servers"));
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Config.of(Map.of("journal.kind", "kafka", "kafka.bootstrap_servers", "b:9092",
                        "kafka.topic", "no spaces allowed")));
        Path f = dir.resolve("cluster.json");
        Files.writeString(f, "{\"journal\":{\"kind\":\"kafka\"},\"kafka\":{\"bootstrap_servers\":\"b1:9092,b2:9092\","
                + "\"node\":\"audit-1\",\"client_properties\":{\"security.protocol\":\"SSL\","
                + "\"ssl\":{\"truststore\":{\"location\":\"/etc/kafka/trust.p12\"}}}}}");
        System.setProperty("kafka.client_properties.sasl.mechanism", "SCRAM-SHA-512");
        try {
            Config.Cluster c = ConfigLoader.load(f).cluster();
            assertEquals("b1:9092,b2:9092", c.bootstrapServers());
            assertEquals("audit-1", c.node());
            assertEquals("actionlog.journal", c.topic());
            assertEquals(Map.of("security.protocol", "SSL", "ssl.truststore.location", "/etc/kafka/trust.p12",
                    "sasl.mechanism", "SCRAM-SHA-512"), c.clientProperties());
        } finally {
            System.clearProperty("kafka.client_properties.sasl.mechanism");
        }
    }

    @Test
    void aSystemPropertyOverridesTheFile() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"http\":{\"port\":9191}}");
        System.setProperty("http.port", "9292");
        try {
            assertEquals(9292, ConfigLoader.load(f).httpPort());
        } finally {
            System.clearProperty("http.port");
        }
    }

    @Test
    void theEnvironmentOverridesTheFileTheCommandLineOverridesBothAndABadValueExitsNonZeroWithOneLine() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"data\":{\"dir\":\"" + dir.resolve("from-file") + "\"}}");
        Map<String, String> env = new HashMap<>();
        env.put("ACTIONLOG_DATA_DIR", dir.resolve("from-env").toString());
        Run add = run(env, "credential", "add", "bob", "--create", "--config", f.toString());
        assertEquals(0, add.code, add.out);
        assertTrue(Files.exists(dir.resolve("from-env").resolve("credentials.json")));
        assertFalse(Files.exists(dir.resolve("from-file")));

        Run given = run(env, "credential", "add", "bob", "--create", "--config", f.toString(),
                "--data-dir", dir.resolve("given").toString());
        assertEquals(0, given.code, given.out);
        assertTrue(Files.exists(dir.resolve("given").resolve("credentials.json")), "--data-dir wins over all");

        env.put("ACTIONLOG_HTTP_PORT", "99999");
        Run bad = run(env, "--config", f.toString());
        assertEquals(2, bad.code);
        assertEquals(1, bad.out.strip().lines().count(), bad.out);
        assertTrue(bad.out.contains("http.port") && bad.out.contains("99999"), bad.out);
    }

    private record Run(int code, String out) {
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = ForkedServer.javaCommand(Map.of(), args);
        Script s = Script.run(env, cmd.toArray(new String[0]));
        return new Run(s.code(), s.out());
    }
}
