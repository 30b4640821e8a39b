package io.actionlog.http.waldur;

import static io.actionlog.http.waldur.Executions.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.support.Client;
import io.actionlog.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pat has more failed executions with an error of their own than an order by error_message reads. */
class WaldurTextSortLimitTest {
    static final int FAILED = 5_001;

    @TempDir
    static Path dir;
    static TestServer server;
    static Client pat;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir);
        pat = Executions.tokenUser(server, "pat");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < FAILED; i++) {
            lines.append(Executions.action("pat", "Build", "Failed", 1_709_251_200L + i).put("error", "error " + i)
                    .encode()).append('\n');
        }
        Client.Response r = server.admin().sendBytes(HttpMethod.POST, "/api/v1/action/bulk/",
                Buffer.buffer(lines.toString()), "application/x-ndjson");
        assertEquals(FAILED, new JsonObject(r.body()).getInteger("created"), r.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"?o=error_message", "?o=error_message&page=last", "?o=-id,error_message"})
    void headAnswersTheStatusGetAnswers(String query) {
        Client.Response get = pat.get(BASE + query);
        Client.Response head = pat.send(HttpMethod.HEAD, BASE + query, null, null);
        assertEquals(get.status(), head.status(), query);
        assertEquals(query.startsWith("?o=-id") ? 200 : 400, head.status(), query);
        assertEquals("", head.body());
    }

    @Test
    void theRefusalNamesTheKey() {
        Client.Response r = pat.get(BASE + "?o=error_message");
        assertEquals(400, r.status());
        assertTrue(r.json().getString("detail").startsWith("Ordering by error_message is not available"), r.body());
    }
}
