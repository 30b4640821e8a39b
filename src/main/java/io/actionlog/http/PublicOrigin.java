package io.actionlog.http;

import io.actionlog.config.Config;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * The scheme and host that absolute URLs in a reply start with (Waldur's {@code Link}), as Django's
 * {@code build_absolute_uri} takes them from the request, under an optional allow-list ({@code http.public_hosts}).
 * The {@code Host} header is the client's to choose, and a client follows these links with its credentials, so a
 * host is only used as sent when it is well formed and, if the list is not empty, on the list; otherwise the first
 * listed host stands in, or, with no list, the address the connection reached. The scheme is the connection's own
 * ({@code https} only over TLS); behind a trusted proxy the scheme and host are those it forwarded
 * ({@link ClientAddress}), under the same checks. Thread-safe: immutable.
 */
public final class PublicOrigin {
    private final List<String> allowed;
    private final ClientAddress clients;

    /** {@code allowed}: lower-case hosts as clients write them in {@code Host}, each a {@link Config#HOST_HEADER}. */
    public PublicOrigin(List<String> allowed, ClientAddress clients) {
        this.allowed = List.copyOf(allowed);
        this.clients = clients;
    }

    /** {@code scheme://host}, with no path and no trailing slash. */
    public String of(HttpServerRequest request) {
        return clients.scheme(request) + "://" + host(request);
    }

    private String host(HttpServerRequest request) {
        String sent = clients.host(request);
        boolean wellFormed = sent != null && Config.HOST_HEADER.matcher(sent).matches();
        if (allowed.isEmpty()) {
            return wellFormed ? sent : ownAddress(request.localAddress());
        }
        return wellFormed && allowed.contains(sent.toLowerCase(Locale.ROOT)) ? sent : allowed.get(0);
    }

    private static String ownAddress(SocketAddress local) {
        String address = local.hostAddress();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + local.port();
    }
}
