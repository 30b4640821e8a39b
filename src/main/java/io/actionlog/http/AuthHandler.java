package io.actionlog.http;

import io.actionlog.auth.AuthException;
import io.actionlog.auth.CredentialStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates the Authorization header and puts the caller on the context; a 401 otherwise, and a 429 with
 * {@code Retry-After} while the client's address is blocked for too many failures ({@link AuthThrottle}).
 * Neither the header nor the key is ever logged.
 */
public final class AuthHandler implements Handler<RoutingContext> {
    private final CredentialStore credentials;
    private final AuthThrottle throttle;

    public AuthHandler(CredentialStore credentials, AuthThrottle throttle) {
        this.credentials = credentials;
        this.throttle = throttle;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            String header = ctx.request().getHeader("Authorization");
            ctx.put(Callers.KEY, throttle.admit(ctx.request(), () -> credentials.authenticate(header)));
        } catch (AuthException e) {
            ctx.fail(new HttpError(401, e.getMessage()));
            return;
        } catch (HttpError e) {
            ctx.fail(e);
            return;
        }
        ctx.next();
    }
}
