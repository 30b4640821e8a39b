package io.actionlog.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Everything in the data directory is its owner's alone: recorded bodies and IP addresses are personal data, and
 * keys are secrets. Directories are created 0700 and files 0600; the process umask can only make them stricter,
 * and {@link #restrict} only ever takes permissions away. Where the file system has no POSIX permissions, these
 * are plain creations.
 */
public final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /** The attribute that creates a file as 0600, for the file APIs that take one. */
    public static FileAttribute<?>[] file() {
        return attribute("rw-------");
    }

    /** Creates {@code dir} and any missing parents as 0700; an existing directory is left as it is. */
    public static Path createDirectories(Path dir) throws IOException {
        return Files.createDirectories(dir, attribute("rwx------"));
    }

    /** Opens a lock file for writing, creating it 0600 when missing. */
    public static FileChannel openLockFile(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), file());
    }

    /** Takes every group and other permission away from a file made by a library that cannot be told its mode. */
    public static void restrict(Path path) throws IOException {
        if (!POSIX) {
            return;
        }
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
        if (now.stream().anyMatch(OTHERS::contains)) {
            Set<PosixFilePermission> kept = EnumSet.copyOf(now);
            kept.removeAll(OTHERS);
            Files.setPosixFilePermissions(path, kept);
        }
    }

    /** Whether group or others may read, write or enter {@code path}: a data directory made by an older version. */
    public static boolean opensToOthers(Path path) throws IOException {
        return POSIX && Files.getPosixFilePermissions(path).stream().anyMatch(OTHERS::contains);
    }

    private static FileAttribute<?>[] attribute(String mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }
}
