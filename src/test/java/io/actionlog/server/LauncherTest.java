package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Script;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's launcher, {@code dist/bin/actionlog}, run from a package laid out as {@code scripts/package.sh}
 * lays it out, with a stand-in for the runtime's java that prints the arguments it was given.
 */
class LauncherTest {
    private static final String PRINTING_JAVA = """
            #!/bin/sh
            for a in "$@"; do
              case $a in
                -XX:SharedArchiveFile=*) [ -f "${a#*=}" ] && echo "archive found" || echo "archive missing: ${a#*=}" ;;
              esac
            done
            while [ "$#" -gt 0 ] && [ "$1" != -jar ]; do shift; done
            for a in "$@"; do echo "arg: $a"; done
            """;

    @TempDir
    Path tmp;

    @Test
    void aPackageUnpackedUnderADirectoryWithASpaceStillRunsWithItsClassDataArchive() throws Exception {
        Path pkg = tmp.resolve("my packages").resolve("actionlog-1");
        Files.createDirectories(pkg.resolve("bin"));
        Files.createDirectories(pkg.resolve("lib"));
        Files.createDirectories(pkg.resolve("runtime").resolve("bin"));
        Files.copy(Path.of("dist", "bin", "actionlog"), pkg.resolve("bin").resolve("actionlog"));
        Files.writeString(pkg.resolve("lib").resolve("actionlog.jsa"), "");
        Path java = pkg.resolve("runtime").resolve("bin").resolve("java");
        Files.writeString(java, PRINTING_JAVA);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Script run = Script.run("sh", pkg.resolve("bin").resolve("actionlog").toString(), "verify", "--data-dir",
                "my data");
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("archive found"), run.out());
        List<String> passed = run.out().lines().filter(l -> l.startsWith("arg: ")).map(l -> l.substring(5)).toList();
        assertEquals(List.of("-jar", "lib/actionlog.jar", "verify", "--data-dir", "my data"), passed, run.out());
    }
}
