package io.actionlog.server;

import io.actionlog.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ceiling [--port N] [--host H] [--event-loops N]}: the yardstick of the benchmark. A bare Vert.x
 * hello-world with the same Vert.x and HTTP server options as the real server in its default configuration
 * ({@link Server#httpOptions}; one server per event loop, as many event loops as the server's default, one per
 * core), answering every request on any path and method with 200 and a small JSON body, so a scenario's requests
 * per second can be read as a share of what this JVM and Vert.x can do at all on this machine. It reads no body and
 * touches no disk.
 */
@Command(name = "ceiling", description = "Run the bare Vert.x server the benchmark compares against.")
public final class CeilingCommand implements Callable<Integer> {
    private static final Buffer BODY = Buffer.buffer("{\"status\":\"ok\"}");

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8081", description = "default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1", description = "default: ${DEFAULT-VALUE}")
    private String host;

    @Option(names = "--event-loops", paramLabel = "N", description = "default: one per core, as the server")
    private int eventLoops = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            List<HttpServer> http = HttpListeners.listen(vertx, eventLoops, host, port,
                    () -> vertx.createHttpServer(Server.httpOptions(Config.of(Map.of())))
                            .requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
                                    .end(BODY)));
            spec.commandLine().getOut().println("ceiling listening on " + host + ":" + http.get(0).actualPort()
                    + " (" + http.size() + " event loops)");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close(), "ceiling-shutdown"));
            Thread.currentThread().join();
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }
}
