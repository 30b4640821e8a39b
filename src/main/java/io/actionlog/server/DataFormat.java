package io.actionlog.server;

import io.actionlog.auth.CredentialStore;
import io.actionlog.files.AtomicFiles;
import io.actionlog.files.OwnerOnly;
import io.actionlog.journal.Journal;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <data>/format.properties}: the journal and credential formats the data directory may hold, and the version
 * that wrote them. A build that reads older formats only refuses a directory marked with a newer one, at start and
 * in one line, instead of taking entries it cannot decode for damage (which recovery would cut off) or a credentials
 * file it cannot read for a corrupt one. Written on every claim, so a directory from before the marker gets one at
 * its first start, and an upgrade raises it. The file is:
 * <pre>
 * journal=3
 * credentials=1
 * written_by=0.1.0
 * </pre>
 */
public final class DataFormat {
    static final String FILE = "format.properties";

    private DataFormat() {
    }

    /** Refuses a directory written in a newer format, then records this build's formats in it. */
    public static void claim(Path dataDir) throws IOException {
        check(dataDir);
        if (Files.isDirectory(dataDir)) {
            String text = "# the formats of this data directory: an older actionlog refuses it (see CHANGELOG.md)\n"
                    + "journal=" + Journal.FORMAT + "\ncredentials=" + CredentialStore.FORMAT + "\nwritten_by="
                    + Version.current() + "\n";
            Path file = dataDir.resolve(FILE);
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                AtomicFiles.replace(file, text.getBytes(StandardCharsets.UTF_8), OwnerOnly.file());
            }
        }
    }

    /** Throws, naming both versions, when the directory holds a format this build does not read; writes nothing. */
    public static void check(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IOException(file + " is not readable: " + e.getMessage(), e);
        }
        int journal = number(p, "journal", file);
        int credentials = number(p, "credentials", file);
        if (journal > Journal.FORMAT || credentials > CredentialStore.FORMAT) {
            throw new IOException("data directory " + dataDir + " was written by actionlog "
                    + p.getProperty("written_by", "(unknown)") + " (journal format " + journal + ", credentials format "
                    + credentials + "); this is actionlog " + Version.current() + ", which reads journal formats up to "
                    + Journal.FORMAT + " and credentials format " + CredentialStore.FORMAT
                    + ": a downgrade is refused; run that version or a later one");
        }
    }

    private static int number(java.util.Properties p, String key, Path file) throws IOException {
        try {
            return Integer.parseInt(p.getProperty(key, "").strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " is " + p.getProperty(key) + ", not a format number");
        }
    }
}
