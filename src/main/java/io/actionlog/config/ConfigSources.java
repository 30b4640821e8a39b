package io.actionlog.config;

import io.vertx.config.spi.utils.JsonObjectHelper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The merged configuration document as vertx-config's retriever makes it from a {@code json} file store, a
 * {@code sys} store and an {@code env} store (default options: values converted, not hierarchical), read without
 * a Vert.x instance, for the commands that run without a server: starting one only to read three sources cost
 * {@code verify} about 0.6 s of its start. The same conversions: each property and environment value goes through
 * {@link JsonObjectHelper#convert} and a JSON round trip, as the stores hand their documents over as JSON text,
 * and the documents are merged deeply in the stores' order, the later winning.
 */
final class ConfigSources {
    private ConfigSources() {
    }

    /** {@code file} null: no file store. */
    static JsonObject merged(Path file, Properties properties, Map<String, String> environment) {
        JsonObject merged = new JsonObject();
        if (file != null) {
            merged.mergeIn(file(file), true);
        }
        JsonObject sys = new JsonObject();
        properties.stringPropertyNames().forEach(name -> put(sys, name, properties.getProperty(name)));
        merged.mergeIn(asStoreGives(sys), true);
        JsonObject env = new JsonObject();
        environment.forEach((name, value) -> put(env, name, value));
        merged.mergeIn(asStoreGives(env), true);
        return merged;
    }

    private static JsonObject file(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + ": " + e);
        }
        try {
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new ConfigException("configuration file " + file + ": " + e.getMessage());
        }
    }

    private static void put(JsonObject json, String name, String value) {
        JsonObjectHelper.put(json, name, value, false);
    }

    /** The store's document as its JSON text parses back: a converted number comes back as JSON reads it. */
    private static JsonObject asStoreGives(JsonObject store) {
        return new JsonObject(store.encode());
    }
}
