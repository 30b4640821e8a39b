package io.actionlog.tools;

import io.actionlog.config.Config;
import io.actionlog.server.HttpListeners;
import io.actionlog.server.Server;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ceiling [--port N] [--host H] [--event-loops N]}: the yardstick of the benchmark. A bare Vert.x
 * hello-world with the same Vert.x and HTTP server options as the real server in its default configuration
 * ({@link Server#httpOptions}; one server per event loop, as many event loops as the server's default, one per
 * core), answering every request on any path and method with 200 and a small JSON body, so a scenario's requests
 * per second can be read as a share of what this JVM and Vert.x can do at all on this machine. It reads no body and
 * touches no disk.
 */
public final class CeilingCommand {
    private static final Buffer BODY = Buffer.buffer("{\"status\":\"ok\"}");

    private CeilingCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int port = 8081;
        String host = "127.0.0.1";
        int eventLoops = Runtime.getRuntime().availableProcessors();
        try {
            for (int i = 0; i < args.size(); i += 2) {
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--host" -> host = value;
                    case "--event-loops" -> eventLoops = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
        } catch (RuntimeException e) {
            err.println("usage: ceiling [--port N] [--host H] [--event-loops N]: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        try {
            List<HttpServer> http = HttpListeners.listen(vertx, eventLoops, host, port,
                    () -> vertx.createHttpServer(Server.httpOptions(Config.of(Map.of())))
                            .requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
                                    .end(BODY)));
            out.println("ceiling listening on " + host + ":" + http.get(0).actualPort() + " (" + http.size()
                    + " event loops)");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close(), "ceiling-shutdown"));
            Thread.currentThread().join();
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } catch (Exception e) {
            err.println("ceiling: cannot start: " + (e.getMessage() != null ? e.getMessage() : e));
            vertx.close();
            return 1;
        }
    }
}
