package io.actionlog.http;

import io.actionlog.action.ActionException;
import io.actionlog.journal.PositionDroppedException;
import io.actionlog.action.Surrogates;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every failure of one API face into that face's JSON error shape. Deliberate failures carry their status
 * ({@link HttpError}, {@link ActionException}); the router's own 404/405/413 come as a bare status; a connection the
 * client broke ({@link ClientFaults}) is a 400 and one line at FINE; anything else, {@code Error}s included, is a 500
 * whose details go to the log, never to the client, except an {@link OutOfMemoryError}: a 503, after the process's
 * {@link OutOfMemory} policy has run. A failure while answering resets the response, so that no client waits for an
 * answer that will not come.
 */
public final class FailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(FailureHandler.class.getName());
    private static final Map<ActionException.Kind, Integer> STATUS = Map.of(
            ActionException.Kind.INVALID, 400,
            ActionException.Kind.NOT_FOUND, 404,
            ActionException.Kind.CONFLICT, 409,
            ActionException.Kind.TOO_MANY, 429,
            ActionException.Kind.UNAVAILABLE, 503);

    private final String key;
    private final String challenge;
    private final String scriptChallenge;
    private final BiFunction<Integer, RoutingContext, String> standardMessage;
    private final OutOfMemory outOfMemory;

    /**
     * @param key             the JSON key of the message ("error" for Tutum, "detail" for Waldur)
     * @param challenge       the WWW-Authenticate value of a 401
     * @param scriptChallenge the same to a request with {@code X-Requested-With}: a scheme browsers do not answer
     *                        with a prompt of their own (as they do Basic)
     * @param standardMessage the message for a bare status (router 404/405, body too large)
     * @param outOfMemory     what the process does after an OutOfMemoryError
     */
    public FailureHandler(String key, String challenge, String scriptChallenge,
                          BiFunction<Integer, RoutingContext, String> standardMessage, OutOfMemory outOfMemory) {
        this.key = key;
        this.challenge = challenge;
        this.scriptChallenge = scriptChallenge;
        this.standardMessage = standardMessage;
        this.outOfMemory = outOfMemory;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            answer(ctx);
        } catch (Throwable t) {
            lastResort(ctx, t);
        }
    }

    private void answer(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String message;
        if (failure instanceof HttpError e) {
            status = e.status();
            message = e.getMessage();
        } else if (failure instanceof ActionException e) {
            status = STATUS.get(e.kind());
            message = e.getMessage();
        } else if (failure == null || clientError(ctx.statusCode()) || failure instanceof HttpException h
                && clientError(h.getStatusCode())) {
            // The router's own refusals: no route, wrong method, body too large, a path or query that does not
            // decode (Vert.x fails those with 400 and the decoder's exception).
            status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            message = standardMessage.apply(status, ctx);
        } else if (failure instanceof PositionDroppedException) {
            // A read that raced retention's drop of the files it was reading: the same request again reads the
            // journal as it now is.
            status = 503;
            message = "retention dropped journal files while this request read them; repeat the request";
        } else if (ClientFaults.causedBy(failure)) {
            LOG.fine(() -> "client fault on " + ClientFaults.describe(ctx.request().method().name(),
                    ctx.request().path(), failure));
            status = 400;
            message = "request: not valid HTTP/1.1, or the connection failed while it was read";
        } else if (OutOfMemory.is(failure)) {
            outOfMemory.check("answering " + ctx.request().method() + " " + ctx.request().path(), failure);
            status = 503;
            message = "out of memory: try again later";
        } else {
            LOG.log(Level.SEVERE, "unexpected failure on " + ctx.request().method() + " " + ctx.request().path(),
                    failure);
            status = 500;
            message = "internal error";
        }
        send(ctx, status, message);
    }

    /** Rendering the error failed too: the connection's stream is reset rather than left waiting. */
    private void lastResort(RoutingContext ctx, Throwable t) {
        try {
            outOfMemory.check("answering a failed request", t);
            LOG.log(Level.SEVERE, "could not answer a failed request; resetting it", t);
        } finally {
            if (!ctx.response().ended()) {
                ctx.response().reset();
            }
        }
    }

    /**
     * For {@code Router.errorHandler(status, ...)}: the router's own refusals (no route, a path that does not
     * decode) arrive there without the status on the context.
     */
    public Handler<RoutingContext> forStatus(int status) {
        return ctx -> {
            if (ctx.failure() instanceof HttpError || ctx.failure() instanceof ActionException) {
                handle(ctx);
            } else {
                send(ctx, status, standardMessage.apply(status, ctx));
            }
        };
    }

    private static boolean clientError(int status) {
        return status >= 400 && status < 500;
    }

    private void send(RoutingContext ctx, int status, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        // Every 401 carries a challenge (the contract, RFC 9110). A script that says so (the web viewer) shows its own
        // sign-in, so it gets one that no browser answers with its own prompt, as it would a Basic challenge.
        if (status == 401) {
            response.putHeader("WWW-Authenticate", ctx.request().getHeader("X-Requested-With") == null ? challenge
                    : scriptChallenge);
        }
        // A 429 sets its own Retry-After where waiting helps (the auth throttle), and none where it never will
        // (a retry limit); a 503 is a full queue or a journal fault, worth another try soon.
        if (status == 503 && response.headers().get("Retry-After") == null) {
            response.putHeader("Retry-After", "1");
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Json.error(key, Surrogates.replaceLone(message)));
    }
}
