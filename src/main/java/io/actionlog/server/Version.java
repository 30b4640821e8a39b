package io.actionlog.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build, as the pom gives it. Maven's resource filtering writes it into
 * {@code actionlog-version.properties}, so it is the same in the jar, in the test run and wherever the classes were
 * built by Maven; a build that did not filter the file (an IDE's own) says {@code unknown} rather than a placeholder.
 */
public final class Version {
    private static final String RESOURCE = "/actionlog-version.properties";
    private static final String VERSION = read();

    private Version() {
    }

    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            return v.isEmpty() || v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
