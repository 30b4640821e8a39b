package io.actionlog.http;

import io.actionlog.auth.AuthException;
import io.actionlog.auth.CredentialStore;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
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
        String address = address(ctx);
        long wait = throttle.blockedSeconds(address);
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(wait));
            ctx.fail(new HttpError(429, "too many failed authentications from this address; try again in "
                    + wait + " s"));
            return;
        }
        try {
            ctx.put(Callers.KEY, credentials.authenticate(ctx.request().getHeader("Authorization")));
        } catch (AuthException e) {
            if (!e.missing()) {
                throttle.failed(address);
            }
            ctx.fail(new HttpError(401, e.getMessage()));
            return;
        }
        ctx.next();
    }

    private static String address(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : remote.host();
    }
}
