package io.actionlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actionlog.auth.CredentialStore;
import io.actionlog.auth.Role;
import io.actionlog.support.Await;
import io.actionlog.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server picks up credential changes made by the command line on its own, once a second. Other tests
 * reload at once through {@link ServerHooks}; this one waits for the server's own period.
 */
@ExtendWith(VertxExtension.class)
class CredentialReloadTest {
    @TempDir
    Path dir;

    /**
     * Nothing outside the server marks a reload, so the client asks again 50 ms after each answer (on a Vert.x
     * timer, one request at a time) until the new key works or the deadline passes; every answer before must be 401.
     */
    @Test
    void aCredentialAddedWhileTheServerRunsWorksWithinTheReloadPeriod(Vertx vertx) throws Throwable {
        VertxTestContext ctx = new VertxTestContext();
        try (TestServer server = TestServer.start(dir)) {
            String key = CredentialStore.open(dir, TestServer.ADMIN_KEY).add("late", Role.AUDITOR);
            askUntilAccepted(WebClient.create(vertx), server.port(), "ApiKey late:" + key, vertx, ctx);
            Await.completion(ctx, 10, "the new key works");
        }
    }

    private static void askUntilAccepted(WebClient web, int port, String authorization, Vertx vertx,
                                         VertxTestContext ctx) {
        web.get(port, "127.0.0.1", "/api/v1/action/?limit=1").putHeader("Authorization", authorization).send()
                .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
                    if (r.statusCode() == 200) {
                        ctx.completeNow();
                        return;
                    }
                    assertEquals(401, r.statusCode(), r.bodyAsString());
                    vertx.setTimer(50, t -> askUntilAccepted(web, port, authorization, vertx, ctx));
                })));
    }
}
