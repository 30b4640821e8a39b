package io.actionlog.http;

import io.actionlog.config.AddressRanges;
import io.actionlog.config.Config;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who a request comes from, behind reverse proxies ({@code http.trusted_proxies}). From a peer outside those
 * ranges, the forwarding headers are the client's own words and change nothing: the address is the TCP peer's, the
 * scheme the connection's, the host the {@code Host} header's. From a trusted peer, the address is the right-most
 * hop of {@code Forwarded} (its {@code for=} parameters) or else {@code X-Forwarded-For} that is not itself a trusted
 * proxy: hops to its left were written by whoever reached that proxy, and can say anything. The scheme and the host
 * are the right-most {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} (or {@code proto=} and {@code host=} of
 * {@code Forwarded}), when well formed. Thread-safe: immutable.
 */
public final class ClientAddress {
    private final AddressRanges trusted;

    public ClientAddress(AddressRanges trusted) {
        this.trusted = trusted;
    }

    /** The client's IP address as text, or "unknown" when the connection has none (a Unix socket). */
    public String address(HttpServerRequest request) {
        String peer = peer(request);
        if (!trusted.contains(peer)) {
            return peer;
        }
        List<String> hops = forwardedFor(request);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!NetUtil.isValidIpV4Address(hop) && !NetUtil.isValidIpV6Address(hop)) {
                return client; // an obfuscated or unknown hop: the last address a trusted proxy vouched for
            }
            client = hop;
            if (!trusted.contains(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** {@code http} or {@code https}: what the client used to reach the first trusted proxy, or this server. */
    public String scheme(HttpServerRequest request) {
        String own = request.isSSL() ? "https" : "http";
        if (!trusted.contains(peer(request))) {
            return own;
        }
        String sent = lastOf(forwardedParam(request, "proto"), request.getHeader("X-Forwarded-Proto"));
        return sent != null && (sent.equalsIgnoreCase("http") || sent.equalsIgnoreCase("https"))
                ? sent.toLowerCase(Locale.ROOT) : own;
    }

    /** The host the client asked for, as a Host header writes it; null when none was sent. */
    public String host(HttpServerRequest request) {
        String own = request.getHeader("Host");
        if (!trusted.contains(peer(request))) {
            return own;
        }
        String sent = lastOf(forwardedParam(request, "host"), request.getHeader("X-Forwarded-Host"));
        return sent != null && Config.HOST_HEADER.matcher(sent).matches() ? sent : own;
    }

    private static String peer(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    /** The {@code for=} hops of Forwarded, or else the hops of X-Forwarded-For, left to right. */
    private static List<String> forwardedFor(HttpServerRequest request) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = request.headers().getAll("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String header : forwarded) {
                for (String element : header.split(",")) {
                    String v = param(element, "for");
                    hops.add(v == null ? "" : nodeAddress(v));
                }
            }
            return hops;
        }
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                hops.add(nodeAddress(hop.strip()));
            }
        }
        return hops;
    }

    /** An address without its port or brackets: {@code [2001:db8::1]:4711} and {@code 192.0.2.1:80} alike. */
    private static String nodeAddress(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end < 0 ? node : node.substring(1, end);
        }
        int colon = node.indexOf(':');
        return colon >= 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    /** The parameter of the last Forwarded element that has it. */
    private static String forwardedParam(HttpServerRequest request, String name) {
        List<String> headers = request.headers().getAll("Forwarded");
        String found = null;
        for (String header : headers) {
            for (String element : header.split(",")) {
                String v = param(element, name);
                found = v != null ? v : found;
            }
        }
        return found;
    }

    private static String param(String element, String name) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase(name)) {
                String v = pair.substring(eq + 1).strip();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** The Forwarded value when there is one, else the right-most item of the X-Forwarded header. */
    private static String lastOf(String forwarded, String header) {
        if (forwarded != null) {
            return forwarded;
        }
        if (header == null) {
            return null;
        }
        String[] items = header.split(",");
        return items[items.length - 1].strip();
    }
}
