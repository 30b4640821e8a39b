package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests, on the JDK's HTTP client: its line stream starts reading with the
 * response head, so no early event can slip by before a handler is set. Every wait is bounded.
 */
public final class SseProbe implements AutoCloseable {
    public record Event(long id, String name, JsonObject data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private SseProbe(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-probe");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; returns once the response head is in (any status). */
    public static SseProbe open(int port, String uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                .timeout(Duration.ofSeconds(WsProbe.WAIT_SECONDS));
        headers.forEach(request::header);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(WsProbe.WAIT_SECONDS)).build();
        return new SseProbe(client.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    public Event next() throws InterruptedException {
        Event e = events.poll(WsProbe.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no event within " + WsProbe.WAIT_SECONDS + " s");
        return e;
    }

    /** Completes when the server ends the stream (or the connection breaks), on the probe's reader thread. */
    Future<Void> ended() {
        return Future.fromCompletionStage(ended);
    }

    /** The events not yet taken, in order; after {@link #ended} that is everything the server sent. */
    List<Event> remaining() {
        List<Event> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    /** Gathers lines into events at each blank line; comments (keep-alives) are skipped. */
    private void read() {
        long id = -1;
        String name = "message";
        String data = null;
        try {
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, new JsonObject(data)));
                    }
                    id = -1;
                    name = "message";
                    data = null;
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed by the test or the server: nothing more to read
        } finally {
            ended.complete(null);
        }
    }

    /** Waits for the server to end the stream; fails the test when it does not within the bound. */
    void awaitEnd() {
        WsProbe.await(ended);
    }

    @Override
    public void close() {
        response.body().close();
    }
}
