package io.actionlog.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server in a JVM of its own, started from this test run's class path, so a test can kill it abruptly
 * (SIGKILL, as {@code kill -9}) and start it again on the same data directory.
 */
public final class ForkedServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+)");

    private final Process process;
    private final int port;
    private final StringBuffer output;
    private final Thread reader;

    private ForkedServer(Process process, int port, StringBuffer output, Thread reader) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.reader = reader;
    }

    /**
     * The command that runs the server: from this run's class path, or, when the system property
     * {@code actionlog.jar} names the shaded jar, with {@code java -jar} as an operator would.
     */
    public static List<String> javaCommand(Map<String, String> properties, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        String jar = System.getProperty("actionlog.jar");
        if (jar != null) {
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-jar", jar));
            cmd.addAll(List.of(args));
            return cmd;
        }
        for (String flag : System.getProperty("actionlog.test.jvmFlags", "").split(" ")) {
            if (!flag.isBlank()) {
                cmd.add(flag);
            }
        }
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.actionlog.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static ForkedServer start(Path dataDir, String adminKey) throws Exception {
        return start(dataDir, adminKey, Map.of());
    }

    /** What a server that was expected to refuse to start did: its exit code and everything it printed. */
    public record Exit(int code, String output) {
    }

    /** Runs a server that should stop by itself (a start refused), and returns how it ended. */
    public static Exit run(Path dataDir, String adminKey, String... args) throws Exception {
        Process p = new ProcessBuilder(javaCommand(settings(dataDir, adminKey, Map.of()), args))
                .redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("expected the server to stop by itself:\n" + out.getNow(""));
        }
        return new Exit(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    private static Map<String, String> settings(Path dataDir, String adminKey, Map<String, String> extra) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", dataDir.toString(), "auth.admin_key", adminKey, "auth.max_failures", "1000000",
                "audit.credential_changes", "log"));
        s.putAll(extra);
        return s;
    }

    public static ForkedServer start(Path dataDir, String adminKey, Map<String, String> extra) throws Exception {
        return start(dataDir, adminKey, extra, List.of());
    }

    /** As {@link #start(Path, String, Map)}, with JVM options after the default ones (a later -Xmx wins). */
    public static ForkedServer start(Path dataDir, String adminKey, Map<String, String> extra, List<String> jvmOptions)
            throws Exception {
        List<String> cmd = javaCommand(settings(dataDir, adminKey, extra));
        cmd.addAll(cmd.indexOf("-Xmx512m") + 1, jvmOptions);
        return launch(cmd);
    }

    /** The server with these system properties and command-line arguments. */
    public static ForkedServer start(Map<String, String> properties, String... args) throws Exception {
        return launch(javaCommand(properties, args));
    }

    private static ForkedServer launch(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> pump(p, out, port), "forked-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ForkedServer(p, port.get(60, TimeUnit.SECONDS), out, reader);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("forked server did not start:\n" + out, e);
        }
    }

    private static void pump(Process p, StringBuffer out, CompletableFuture<Integer> port) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        port.completeExceptionally(new IllegalStateException("server exited"));
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** Everything the server printed so far. */
    public String output() {
        return output.toString();
    }

    /**
     * SIGTERM, as a service manager stops it; returns the exit code and everything the server printed, its stop
     * included. Through the process handle: {@link Process#destroy} also closes the output pipe at once, which
     * would lose what the server prints while it stops.
     */
    public Exit terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("the server did not stop within 30 s of SIGTERM:\n" + output);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Exit(process.exitValue(), output.toString());
    }

    /** SIGHUP, as an operator sends it out of habit to have a daemon reopen its logs. */
    public void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -HUP did not work");
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the server. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
