package io.actionlog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that run without a server read the configuration without a Vert.x instance; they must read what
 * the server reads. The environment of a running JVM cannot be set, so each comparison runs in a JVM of its own
 * (this class's {@link #main}) with the environment and system properties given.
 */
class OfflineConfigTest {
    @TempDir
    Path dir;

    @Test
    void anOfflineCommandReadsWhatTheServerReadsFromFilePropertiesAndEnvironment() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"http\":{\"port\":9191,\"host\":\"127.0.0.1\","
                + "\"public_hosts\":[\"a.example\",\"b.example:81\"]},"
                + "\"data\":{\"dir\":\"" + dir.resolve("from-file") + "\"},\"journal\":{\"durability\":\"os\"},"
                + "\"writer.batch_max\":512,\"log.access\":false,"
                + "\"kafka\":{\"client_properties\":{\"security.protocol\":\"SSL\"}}}");
        String out = both(f, Map.of("ACTIONLOG_HTTP_PORT", "09393", "ACTIONLOG_DATA_DIR", dir.resolve("env").toString(),
                        "ACTIONLOG_LOG_ACCESS", "TRUE", "ACTIONLOG_HTTP_TRUSTED_PROXIES", "[\"10.0.0.0/8\"]"),
                List.of("-Dwriter.queue_capacity=1024", "-Djournal.durability=process",
                        "-Dkafka.client_properties.sasl.mechanism=SCRAM-SHA-512", "-Dauth.max_failures=+7"));
        assertTrue(out.startsWith("same true\n"), out);
        assertTrue(out.contains("httpPort=9393") && out.contains(dir.resolve("env").toString()), out);
        assertTrue(out.contains("a.example") && out.contains("10.0.0.0/8") && out.contains("SCRAM-SHA-512"), out);
    }

    @Test
    void aKeyOrANameOfDigitsFromTheEnvironmentOrAPropertyIsTakenAsTyped() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{}");
        String out = both(f, Map.of("ACTIONLOG_AUTH_ADMIN_KEY", "0000111122223333", "ACTIONLOG_KAFKA_NODE", "007"),
                List.of("-Dintegrity.origin=0042", "-Dlog.file=" + dir.resolve("1.50")));
        assertTrue(out.startsWith("same true\n"), out);
        assertTrue(out.contains("adminKey=0000111122223333,") && out.contains("origin=0042,")
                && out.contains("node=007,") && out.contains(dir.resolve("1.50") + ","), out);
    }

    /** Lists and the Kafka clients' pass-through properties too: a redacted key or a password of digits. */
    @Test
    void listsAndKafkaClientPropertiesOfDigitsAreTakenAsTyped() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{}");
        String out = both(f, Map.of("ACTIONLOG_REDACT_KEYS", "0042"),
                List.of("-Dkafka.client_properties.ssl.key.password=000123", "-Dhttp.trusted_proxies=10.0.0.1"));
        assertTrue(out.startsWith("same true\n"), out);
        assertTrue(out.contains("redactKeys=[0042]") && out.contains("ssl.key.password=000123"), out);
    }

    /**
     * Other programs' settings share the environment and the system properties, some as JSON objects (Cloud
     * Foundry's VCAP_SERVICES): they are not groups of this server's keys, and the server starts beside them.
     */
    @Test
    void anotherProgramsJsonObjectInTheEnvironmentOrAPropertyIsLeftAlone() throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"http\":{\"port\":9191}}");
        String out = both(f, Map.of("VCAP_SERVICES", "{\"db\":[{\"name\":\"x\"}]}"),
                List.of("-Dother.tool={\"mode\":1}"));
        assertTrue(out.startsWith("same true\n") && out.contains("httpPort=9191"), out);
    }

    @Test
    void theDefaultsAndABadFileReadTheSameWithoutAServer() throws Exception {
        assertEquals(ConfigLoader.load(Path.of("conf", "config.json")),
                ConfigLoader.loadOffline(Path.of("conf", "config.json"), Map.of()));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"http\":{\"prot\":9191}}");
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.loadOffline(f, Map.of()));
        assertTrue(unknown.getMessage().contains("http.prot"), unknown.getMessage());
        Files.writeString(f, "{\"http\":");
        ConfigException broken = assertThrows(ConfigException.class, () -> ConfigLoader.loadOffline(f, Map.of()));
        assertTrue(broken.getMessage().contains(f.toString()), broken.getMessage());
        assertThrows(ConfigException.class, () -> ConfigLoader.loadOffline(dir.resolve("missing.json"), Map.of()));
    }

    /** Run in a JVM of its own: prints whether both ways read the same, then what they read. */
    public static void main(String[] args) {
        Config server = ConfigLoader.load(Path.of(args[0]));
        Config offline = ConfigLoader.loadOffline(Path.of(args[0]), Map.of());
        // By their text: AddressRanges has no equals of its own, and a record's text shows every value.
        System.out.println("same " + server.toString().equals(offline.toString()));
        System.out.println(server);
        System.out.println(offline);
    }

    private static String both(Path file, Map<String, String> env, List<String> properties) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OfflineConfigTest.class.getName(),
                file.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("ACTIONLOG_"));
        pb.environment().putAll(env);
        Script s = Script.run(pb);
        assertEquals(0, s.code(), s.out());
        // Stderr comes along, and on a busy machine Vert.x warns there of a blocked thread before main prints.
        String out = s.out();
        return out.startsWith("same ") ? out : out.substring(out.indexOf("\nsame ") + 1);
    }
}
