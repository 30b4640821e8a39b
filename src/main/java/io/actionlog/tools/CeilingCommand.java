package io.actionlog.tools;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ceiling [--port N] [--host H]}: the yardstick of the benchmark. A bare Vert.x hello-world with the same
 * Vert.x and HTTP server options as the real server (default event loops, compression supported), answering every
 * request on any path and method with 200 and a small JSON body, so a scenario's requests per second can be read as
 * a share of what this JVM and Vert.x can do at all on this machine. It reads no body and touches no disk.
 */
public final class CeilingCommand {
    private static final Buffer BODY = Buffer.buffer("{\"status\":\"ok\"}");

    private CeilingCommand() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        int port = 8081;
        String host = "127.0.0.1";
        try {
            for (int i = 0; i < args.size(); i += 2) {
                String value = args.get(i + 1);
                switch (args.get(i)) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--host" -> host = value;
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i));
                }
            }
        } catch (RuntimeException e) {
            err.println("usage: ceiling [--port N] [--host H]: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer http = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                    .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(BODY))
                    .listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            out.println("ceiling listening on " + host + ":" + http.actualPort());
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
