package io.actionlog.http;

import io.actionlog.auth.AuthException;
import io.actionlog.auth.CredentialStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Authenticates the Authorization header and puts the caller on the context; a 401 otherwise. */
public final class AuthHandler implements Handler<RoutingContext> {
    private final CredentialStore credentials;

    public AuthHandler(CredentialStore credentials) {
        this.credentials = credentials;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            ctx.put(Callers.KEY, credentials.authenticate(ctx.request().getHeader("Authorization")));
        } catch (AuthException e) {
            ctx.fail(new HttpError(401, e.getMessage()));
            return;
        }
        ctx.next();
    }
}
