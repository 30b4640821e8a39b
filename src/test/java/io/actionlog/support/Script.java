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

    /**
     * Runs {@code command} with {@code env} added to this process's environment, stdout and stderr together; one
     * that has not finished in 60 s is killed and fails the test, with what it printed so far.
     */
    public static Script run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().putAll(env);
        return run(b);
    }

    /** Runs what {@code b} says (its output taken here), under the same bound. */
    public static Script run(ProcessBuilder b) throws IOException, InterruptedException {
        String[] command = b.command().toArray(new String[0]);
        Path out = Files.createTempFile("script", ".out");
        try {
            b.redirectErrorStream(true).redirectOutput(out.toFile());
            Process p = b.start();
            boolean finished = p.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(finished, "script finished within 60 s: " + String.join(" ", command) + "\n" + printed);
            return new Script(p.exitValue(), printed);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
