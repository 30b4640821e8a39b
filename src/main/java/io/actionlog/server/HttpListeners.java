package io.actionlog.server;

import io.actionlog.config.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP on several event loops: one {@link HttpServer} per event loop, all bound to one port. Vert.x binds the
 * socket once and hands the accepted connections to the servers in turn. A single server created outside a
 * verticle keeps every connection on one event loop, which left a list request (rendering, journal reads) to one
 * core of the machine.
 */
final class HttpListeners {
    private HttpListeners() {
    }

    /**
     * Starts {@code count} servers made by {@code make} (called on the event loop that will run the server) and
     * returns them. Port 0 picks one free port for all of them: Vert.x shares a random port between the servers
     * that ask for the same negative port.
     */
    static List<HttpServer> listen(Vertx vertx, int count, String host, int port, Supplier<HttpServer> make)
            throws Exception {
        try {
            return new ArrayList<>(deploy(vertx, count, host, port == 0 ? -1 : port, make));
        } catch (ExecutionException e) {
            // The address is a setting: name it and the keys, as any other setting that cannot be used.
            Throwable cause = e.getCause();
            if (cause instanceof UnknownHostException) {
                throw ConfigException.bad("http.host", host, "no address of this host could be found ("
                        + cause.getMessage() + ")");
            }
            if (cause instanceof SocketException) {
                throw ConfigException.bad("http.host and http.port", host + ":" + port, "cannot listen there ("
                        + cause.getMessage() + ")");
            }
            throw e;
        }
    }

    private static Queue<HttpServer> deploy(Vertx vertx, int instances, String host, int port,
                                            Supplier<HttpServer> make) throws Exception {
        Queue<HttpServer> started = new ConcurrentLinkedQueue<>();
        vertx.deployVerticle(() -> context -> make.get().listen(port, host).onSuccess(started::add),
                        new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return started;
    }
}
