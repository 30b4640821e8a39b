package io.actionlog.support;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.config.Config;
import io.actionlog.http.OutOfMemory;
import io.actionlog.server.Server;
import io.actionlog.server.ServerHooks;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A real server on 127.0.0.1, port 0, over a data directory of the test's own. Credentials are added as an operator
 * would with the command line, then the server reloads them at once instead of at its next period, so they work
 * from the next request. An OutOfMemoryError is only logged: it must not end the JVM that runs the tests.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key-0123456789abcdef";

    static {
        System.setProperty("chronicle.analytics.disable", "true");
    }

    private final Path dir;
    private final Map<String, String> settings;
    private final LongSupplier throttleClock;
    /** Epoch milliseconds that roll the journal's day files; null for the real clock. */
    private LongSupplier journalClock;
    private final Map<String, String> keys = new HashMap<>();
    private final Vertx vertx = Vertx.vertx();
    private Server server;

    private TestServer(Path dir, Map<String, String> settings, LongSupplier throttleClock) {
        this.dir = dir;
        this.settings = settings;
        this.throttleClock = throttleClock;
    }

    public static TestServer start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    public static TestServer start(Path dir, Map<String, String> extra) throws Exception {
        return start(dir, extra, System::nanoTime);
    }

    /** A server whose authentication throttle reads {@code throttleClock} (nanoseconds) instead of the real one. */
    public static TestServer start(Path dir, Map<String, String> extra, LongSupplier throttleClock) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", dir.toString(), "auth.admin_key", ADMIN_KEY));
        // Tests present bad credentials from 127.0.0.1 on purpose and by the hundred; the throttle has its own test.
        settings.put("auth.max_failures", "1000000");
        // Tests count and number the actions they record; the server's own audit of credentials, backups and
        // retention runs has tests of its own.
        settings.put("audit.credential_changes", "log");
        settings.put("audit.admin_operations", "log");
        settings.putAll(extra);
        TestServer t = new TestServer(dir, settings, throttleClock);
        t.keys.put("admin", ADMIN_KEY);
        return t.first();
    }

    /** A server whose journal rolls its day files by {@code journalClock} (see {@link DayClock}). */
    public static TestServer start(Path dir, Map<String, String> extra, DayClock journalClock) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("http.host", "127.0.0.1", "http.port", "0",
                "data.dir", dir.toString(), "auth.admin_key", ADMIN_KEY, "auth.max_failures", "1000000",
                "audit.credential_changes", "log", "audit.admin_operations", "log"));
        settings.putAll(extra);
        TestServer t = new TestServer(dir, settings, System::nanoTime);
        t.journalClock = journalClock;
        t.keys.put("admin", ADMIN_KEY);
        return t.first();
    }

    private Server startServer() throws Exception {
        return ServerHooks.start(Config.of(settings), OutOfMemory.loggingOnly(), throttleClock, journalClock);
    }

    /** The first start: one that fails leaves no client running either. */
    private TestServer first() throws Exception {
        try {
            server = startServer();
            return this;
        } catch (Exception | Error e) {
            vertx.close();
            throw e;
        }
    }

    /** Adds a credential while the server runs, as the command line does; it works from the next request. */
    public Client addUser(String name, Role role) throws IOException {
        String key = CredentialStore.open(dir, ADMIN_KEY).add(name, role);
        keys.put(name, key);
        reloadCredentials();
        return as(name);
    }

    /** What the server does once a second, now: changes made to its credentials file before the call are in force. */
    public void reloadCredentials() throws IOException {
        ServerHooks.reloadCredentials(server);
    }

    public Client as(String name) {
        return new Client(vertx, port(), "ApiKey " + name + ":" + keys.get(name));
    }

    /** Uses a credential made earlier on this data directory (by a server since stopped) as {@code name}'s. */
    public Client know(String name, String key) {
        keys.put(name, key);
        return as(name);
    }

    public Client admin() {
        return as("admin");
    }

    public Client withHeader(String authorization) {
        return new Client(vertx, port(), authorization);
    }

    public String key(String name) {
        return keys.get(name);
    }

    public java.util.List<String> endpoints() {
        return server.endpoints();
    }

    public int port() {
        return server.port();
    }

    public Path dir() {
        return dir;
    }

    /** Stops and starts the server on the same data directory (a clean stop). */
    public void restart() throws Exception {
        restart(() -> { });
    }

    /** What a test does to the data directory while the server is stopped. */
    @FunctionalInterface
    public interface WhileStopped {
        void run() throws Exception;
    }

    /** Stops the server cleanly, runs {@code meanwhile} on its stopped data directory, and starts it again. */
    public void restart(WhileStopped meanwhile) throws Exception {
        server.close();
        meanwhile.run();
        server = startServer();
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
