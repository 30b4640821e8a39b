package io.actionlog.http;

import io.actionlog.auth.Caller;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code log.access=true}: one line per request when its response ends (a stream's when it closes), on the logger
 * {@code io.actionlog.access}: client address, credential name ({@code -} before or without authentication), method,
 * path, status, bytes of the body sent, duration. The query is kept but the value of every parameter that can carry
 * a secret ({@code token}, {@code key}, {@code password}...) is replaced by {@code ***}, and no header is logged, so
 * neither a key nor a token ever reaches the log. Bytes outside printable ASCII are written as {@code \xNN}, so a
 * path cannot forge a line. Thread-safe: stateless past construction.
 */
public final class AccessLog {
    private static final Logger LOG = Logger.getLogger("io.actionlog.access");
    private static final String STARTED = AccessLog.class.getName() + ".started";
    private static final Set<String> SECRET_PARAMS = Set.of("token", "key", "api_key", "apikey", "password", "secret",
            "access_token", "authorization");

    private final boolean enabled;
    private final ClientAddress clients;

    public AccessLog(boolean enabled, ClientAddress clients) {
        this.enabled = enabled;
        this.clients = clients;
    }

    /** The first handler of every request. */
    public void handle(RoutingContext ctx) {
        if (enabled && ctx.get(STARTED) == null) {
            long t0 = System.nanoTime();
            ctx.put(STARTED, t0);
            ctx.addEndHandler(done -> LOG.log(line(ctx, t0)));
        }
        ctx.next();
    }

    private LogRecord line(RoutingContext ctx, long t0) {
        HttpServerRequest request = ctx.request();
        Caller caller = ctx.get(Callers.KEY);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("client", clients.address(request));
        f.put("credential", caller == null ? "-" : caller.name());
        f.put("method", request.method().name());
        f.put("path", printable(request.path()) + query(request.query()));
        f.put("status", ctx.response().getStatusCode());
        f.put("bytes", ctx.response().bytesWritten());
        f.put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        LogRecord record = new LogRecord(Level.INFO, f.get("client") + " " + f.get("credential") + " \""
                + f.get("method") + " " + f.get("path") + "\" " + f.get("status") + " " + f.get("bytes") + " "
                + f.get("ms") + "ms");
        record.setLoggerName(LOG.getName());
        record.setParameters(new Object[] {f});
        return record;
    }

    /** The query with the value of each secret-bearing parameter hidden; empty when there is none. */
    static String query(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("?");
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            out.append(out.length() > 1 ? "&" : "").append(printable(name));
            if (eq >= 0) {
                boolean secret = SECRET_PARAMS.contains(decoded(name).toLowerCase(Locale.ROOT));
                out.append('=').append(secret ? "***" : printable(pair.substring(eq + 1)));
            }
        }
        return out.toString();
    }

    /** A parameter name as the server reads it; one that does not decode is taken for a secret's. */
    private static String decoded(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "token";
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
