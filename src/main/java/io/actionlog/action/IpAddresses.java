package io.actionlog.action;

import io.netty.util.NetUtil;

/**
 * Checks IP address literals without ever asking a resolver (InetAddress.getByName would look up anything that
 * is not a literal). Netty's {@link NetUtil} reads the grammar; this class adds what an address recorded for an
 * audit must also be: a dotted quad without leading zeros (some parsers read {@code 010} as octal 8, so the text
 * would name two addresses), no URI brackets, a zone id only of the characters an interface name or number takes
 * (RFC 6874's unreserved ones, at most {@link #ZONE_CHARS}: no spaces, no markup), and a dotted tail after any six
 * groups (RFC 4291 section 2.2, as in {@code 64:ff9b::192.0.2.33}), where Netty takes one only after {@code ::} or
 * {@code ::ffff:}.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static boolean valid(String s) {
        return s.indexOf(':') >= 0 ? v6(s) : v4(s);
    }

    static boolean v4(String s) {
        return NetUtil.isValidIpV4Address(s) && !leadingZero(s);
    }

    static boolean v6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0 && !zoneId(s.substring(zone + 1))) {
            return false;
        }
        String address = zone < 0 ? s : s.substring(0, zone);
        if (address.startsWith("[")) {
            return false;
        }
        int tail = address.lastIndexOf(':') + 1;
        if (address.indexOf('.', tail) >= 0) {
            // The dotted quad stands for the last two groups.
            return v4(address.substring(tail)) && NetUtil.isValidIpV6Address(address.substring(0, tail) + "0:0");
        }
        return NetUtil.isValidIpV6Address(address);
    }

    /** The longest zone id taken: Linux interface names are at most 15 bytes, and Windows zone ids are numbers. */
    static final int ZONE_CHARS = 64;

    private static boolean zoneId(String zone) {
        if (zone.isEmpty() || zone.length() > ZONE_CHARS) {
            return false;
        }
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~')) {
                return false;
            }
        }
        return true;
    }

    /** Whether a part of a dotted quad that Netty accepted starts with a zero and goes on. */
    private static boolean leadingZero(String quad) {
        for (int i = 0; i + 1 < quad.length(); i++) {
            if (quad.charAt(i) == '0' && (i == 0 || quad.charAt(i - 1) == '.') && quad.charAt(i + 1) != '.') {
                return true;
            }
        }
        return false;
    }
}
