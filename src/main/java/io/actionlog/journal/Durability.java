package io.actionlog.journal;

import java.util.Locale;

/** How far an acknowledged append must have gone (configuration {@code journal.durability}). */
public enum Durability {
    /** Survives a crash or kill of the server: the entry is in the OS page cache once appended. */
    PROCESS,
    /** Also survives a power loss or kernel crash: {@link Journal#sync()} forces the written files to the device. */
    OS;

    /** The mode for a configuration value ({@code process} or {@code os}); the message names a bad value. */
    public static Durability of(String configValue) {
        if (configValue != null) {
            for (Durability d : values()) {
                if (d.name().equals(configValue.trim().toUpperCase(Locale.ROOT))) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("journal.durability must be 'process' or 'os', not '" + configValue + "'");
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
