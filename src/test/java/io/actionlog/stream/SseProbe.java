package io.actionlog.stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Server-Sent Events client for tests: parses the stream into events; every wait is bounded. */
final class SseProbe implements AutoCloseable {
    record Event(long id, String name, JsonObject data) {
    }

    private final HttpClient client;
    private final HttpClientResponse response;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder pending = new StringBuilder();

    private SseProbe(HttpClient client, HttpClientResponse response) {
        this.client = client;
        this.response = response;
    }

    /** Opens the stream; returns the probe once the response head is in (any status). */
    static SseProbe open(Vertx vertx, int port, String uri, Map<String, String> headers) {
        HttpClient client = vertx.createHttpClient();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(uri);
        headers.forEach(options::addHeader);
        CompletableFuture<SseProbe> opened = new CompletableFuture<>();
        client.request(options).compose(r -> r.send()).onComplete(ar -> {
            if (ar.failed()) {
                opened.completeExceptionally(ar.cause());
                return;
            }
            SseProbe probe = new SseProbe(client, ar.result());
            ar.result().handler(b -> probe.take(b.toString()));
            opened.complete(probe);
        });
        return WsProbe.await(opened);
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.getHeader(name);
    }

    Event next() throws InterruptedException {
        Event e = events.poll(WsProbe.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no event within " + WsProbe.WAIT_SECONDS + " s");
        return e;
    }

    /** Splits the text into events at blank lines; comments (keep-alives) are skipped. */
    private void take(String text) {
        pending.append(text);
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            long id = -1;
            String name = "message";
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (data != null) {
                events.add(new Event(id, name, new JsonObject(data)));
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
