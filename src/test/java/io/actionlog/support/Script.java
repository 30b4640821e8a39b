package io.actionlog.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command run to its end, as the project's scripts are run by their users: its exit code and all it printed. */
public record Script(int code, String out) {
    /** Whether {@code command} is an executable on the PATH. */
    public static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    public static Script run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    /** Runs {@code command} with {@code env} added to this process's environment, stdout and stderr together. */
    public static Script run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script finished");
        return new Script(p.exitValue(), out);
    }
}
