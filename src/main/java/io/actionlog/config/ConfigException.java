package io.actionlog.config;

/** A configuration value that cannot be used; the message names the key and the value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException bad(String key, Object value, String expected) {
        return new ConfigException("configuration " + key + "=" + quote(value) + ": " + expected);
    }

    private static String quote(Object value) {
        return value == null ? "(unset)" : "'" + value + "'";
    }
}
