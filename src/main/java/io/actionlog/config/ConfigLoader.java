package io.actionlog.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Reads the configuration document, then system properties of the same dotted names, then environment
 * variables {@code ACTIONLOG_<KEY>} (the later wins, as vertx-config merges its stores), then what the command line
 * gave ({@code --data-dir}), and types it. The server reads the sources with vertx-config; the commands that run
 * without one read the same sources the same way without a Vert.x instance ({@link ConfigSources}).
 */
public final class ConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("conf", "config.json");
    private static final String ENV_PREFIX = "ACTIONLOG_";

    private ConfigLoader() {
    }

    /** {@code file} null means conf/config.json when present, else the built-in defaults. */
    public static Config load(Path file) {
        return load(file, Map.of());
    }

    /** {@code commandLine}: dotted keys given as command-line options, which win over every other source. */
    public static Config load(Path file, Map<String, String> commandLine) {
        return load(file, commandLine, ConfigLoader::retrieve);
    }

    /** As {@link #load(Path, Map)}, for a command that runs without a server: no Vert.x instance is started. */
    public static Config loadOffline(Path file, Map<String, String> commandLine) {
        return load(file, commandLine, source -> ConfigSources.merged(source, System.getProperties(), System.getenv()));
    }

    private static Config load(Path file, Map<String, String> commandLine, Function<Path, JsonObject> merged) {
        Path source = file != null ? file : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
        if (file != null && !Files.isReadable(file)) {
            throw new ConfigException("configuration file " + file + ": not found or not readable");
        }
        JsonObject document = merged.apply(source);
        if (source != null) {
            checkTopLevel(readFile(source));
        }
        Map<String, String> values = flatten(document);
        keepText(values);
        values.putAll(commandLine);
        return Config.of(values);
    }

    /**
     * The text values a system property or an environment variable gives, kept as it gives them (env over property,
     * as in the merged document): the sys and env stores turn a value that reads as a number into one, so a key,
     * origin, name, path, redacted key or Kafka password of digits would lose its leading zeros ({@code 0042} became
     * {@code 42}) or its decimals, and the server would take another value than the one set, without a word. Kafka
     * client properties, all text to this server, come from system properties only (environment names cannot hold
     * their dots).
     */
    private static void keepText(Map<String, String> values) {
        for (String key : Config.DEFAULTS.keySet()) {
            if (!isText(key)) {
                continue; // a number or a boolean: the stores' reading of it (TRUE, +7) is what the document holds
            }
            String property = System.getProperty(key);
            String env = System.getenv(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_'));
            String raw = env != null ? env : property;
            // A list may also be written as a JSON array, which the stores parse and the document keeps as typed.
            if (raw != null && !raw.strip().startsWith("[")) {
                values.put(key, raw);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(Config.KAFKA_CLIENT_PREFIX)) {
                values.put(name, System.getProperty(name));
            }
        }
    }

    /** A key whose value is text (a name, key, path, list or choice): its default is none, or not a number or boolean. */
    private static boolean isText(String key) {
        String fallback = Config.DEFAULTS.get(key);
        return fallback == null || !(fallback.matches("-?\\d+") || fallback.equals("true") || fallback.equals("false"));
    }

    private static JsonObject readFile(Path file) {
        try {
            return new JsonObject(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("configuration file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The file's own keys: a known dotted key, or a group of keys (an object) holding known keys. Checked apart from
     * the merged document, where the file's keys sit among every system property and environment variable, other
     * programs' among them, and an unknown key could not be told from those.
     */
    static void checkTopLevel(JsonObject file) {
        Map<String, String> nested = new HashMap<>();
        for (Map.Entry<String, Object> e : file) {
            if (e.getValue() instanceof JsonObject group) {
                flattenInto(e.getKey(), group, nested);
            }
        }
        for (Map.Entry<String, Object> e : file) {
            if (!(e.getValue() instanceof JsonObject) && nested.containsKey(e.getKey())) {
                throw new ConfigException("configuration key " + e.getKey() + " is given twice in the file, in a group"
                        + " and dotted: keep one");
            }
            String key = e.getKey();
            boolean known = Config.DEFAULTS.containsKey(key) || key.startsWith(Config.KAFKA_CLIENT_PREFIX);
            boolean group = Config.DEFAULTS.keySet().stream().anyMatch(k -> k.startsWith(key + "."))
                    || Config.KAFKA_CLIENT_PREFIX.startsWith(key + ".");
            if (e.getValue() instanceof JsonObject ? !group && !key.startsWith(Config.KAFKA_CLIENT_PREFIX) : !known) {
                throw new ConfigException("configuration key " + key + (group ? " is a group of keys: expected an"
                        + " object of them" : " is unknown; known keys: " + String.join(", ", Config.DEFAULTS.keySet())));
            }
        }
        for (String key : nested.keySet()) {
            if (!Config.DEFAULTS.containsKey(key) && !key.startsWith(Config.KAFKA_CLIENT_PREFIX)) {
                throw new ConfigException("configuration key " + key + " is unknown; known keys: "
                        + String.join(", ", Config.DEFAULTS.keySet()));
            }
        }
    }

    private static JsonObject retrieve(Path file) {
        ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1);
        if (file != null) {
            options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
                    .setConfig(new JsonObject().put("path", file.toString())));
        }
        options.addStore(new ConfigStoreOptions().setType("sys"));
        options.addStore(new ConfigStoreOptions().setType("env"));
        Vertx vertx = Vertx.vertx();
        try {
            return ConfigRetriever.create(vertx, options).getConfig()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ConfigException("configuration file " + file + ": " + e.getCause().getMessage());
        } catch (InterruptedException | TimeoutException e) {
            throw new ConfigException("configuration could not be read: " + e);
        } finally {
            vertx.close();
        }
    }

    /**
     * Turns the merged document into dotted keys; only known keys are kept. Its objects are the file's groups
     * (checked by {@link #checkTopLevel}) but also any JSON object another program keeps in a system property or
     * an environment variable (VCAP_SERVICES), which are not this server's to refuse.
     */
    static Map<String, String> flatten(JsonObject merged) {
        Map<String, String> fromFile = new HashMap<>();
        for (Map.Entry<String, Object> e : merged) {
            if (e.getValue() instanceof JsonObject nested) {
                flattenInto(e.getKey(), nested, fromFile);
            }
        }
        Map<String, String> values = new HashMap<>();
        for (String key : Config.DEFAULTS.keySet()) {
            String v = fromFile.get(key);
            v = merged.containsKey(key) ? text(merged.getValue(key)) : v;
            String env = ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
            v = merged.containsKey(env) ? text(merged.getValue(env)) : v;
            if (v != null || fromFile.containsKey(key)) {
                values.put(key, v);
            }
        }
        // Passed through to the Kafka clients: from the file's kafka.client_properties object, or from system
        // properties of the same dotted names (environment variable names cannot hold the dots of Kafka's).
        fromFile.forEach((key, v) -> {
            if (key.startsWith(Config.KAFKA_CLIENT_PREFIX)) {
                values.put(key, v);
            }
        });
        for (Map.Entry<String, Object> e : merged) {
            if (e.getKey().startsWith(Config.KAFKA_CLIENT_PREFIX) && !(e.getValue() instanceof JsonObject)) {
                values.put(e.getKey(), text(e.getValue()));
            }
        }
        return values;
    }

    private static void flattenInto(String prefix, JsonObject object, Map<String, String> out) {
        for (Map.Entry<String, Object> e : object) {
            String key = prefix + "." + e.getKey();
            if (e.getValue() instanceof JsonObject nested) {
                flattenInto(key, nested, out);
            } else {
                out.put(key, text(e.getValue()));
            }
        }
    }

    private static String text(Object value) {
        if (value instanceof JsonArray array) {
            StringBuilder sb = new StringBuilder();
            array.forEach(item -> sb.append(sb.length() == 0 ? "" : ",").append(item));
            return sb.toString();
        }
        return value == null ? null : value.toString();
    }
}
