package io.actionlog.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of the server, typed and checked once at start. Keys are the dotted names of the contract;
 * {@link #DEFAULTS} is what applies when neither the file, the environment nor a system property sets a key.
 */
public record Config(
        String httpHost,
        int httpPort,
        int maxBodyBytes,
        Path dataDir,
        String adminKey,
        String durability,
        int writerQueueCapacity,
        int writerBatchMax,
        Path geoRangesFile) {

    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("http.host", "0.0.0.0");
        d.put("http.port", "8080");
        d.put("http.max_body_bytes", "1048576");
        d.put("data.dir", "./data");
        d.put("auth.admin_key", null);
        d.put("journal.durability", "process");
        d.put("writer.queue_capacity", "65536");
        d.put("writer.batch_max", "4096");
        d.put("geo.ranges_file", null);
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Builds the typed configuration from dotted keys; the first bad value stops it with a ConfigException. */
    public static Config of(Map<String, String> values) {
        Values v = new Values(values);
        return new Config(
                v.host("http.host"),
                v.integer("http.port", 0, 65535),
                v.integer("http.max_body_bytes", 1024, 256 << 20),
                v.path("data.dir"),
                v.adminKey("auth.admin_key"),
                v.oneOf("journal.durability", "process", "os"),
                v.integer("writer.queue_capacity", 16, 1 << 24),
                v.integer("writer.batch_max", 1, 1 << 16),
                v.optionalPath("geo.ranges_file"));
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }
}
