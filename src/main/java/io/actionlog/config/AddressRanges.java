package io.actionlog.config;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of address ranges in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or single addresses, as the
 * configuration gives them ({@code http.trusted_proxies}, {@code auth.throttle_exempt}). Only IP literals are
 * accepted, never names: matching must not wait for DNS, and a name's addresses can change under the operator.
 * Thread-safe: immutable.
 */
public final class AddressRanges {
    private static final AddressRanges NONE = new AddressRanges(List.of(), List.of());

    private final List<String> written;
    private final List<IpSubnetFilterRule> rules;

    private AddressRanges(List<String> written, List<IpSubnetFilterRule> rules) {
        this.written = written;
        this.rules = rules;
    }

    public static AddressRanges none() {
        return NONE;
    }

    /** Throws IllegalArgumentException naming the first item that is not an address or a range. */
    public static AddressRanges parse(List<String> items) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String item : items) {
            rules.add(rule(item.strip()));
        }
        return rules.isEmpty() ? NONE : new AddressRanges(List.copyOf(items), List.copyOf(rules));
    }

    private static IpSubnetFilterRule rule(String item) {
        int slash = item.indexOf('/');
        String address = slash < 0 ? item : item.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        if (!v4 && !NetUtil.isValidIpV6Address(address)) {
            throw new IllegalArgumentException(item + " is not an IP address or a CIDR range");
        }
        int max = v4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(item.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(item + ": the prefix length must be 0 to " + max);
            }
        }
        return new IpSubnetFilterRule(literal(address), prefix, IpFilterRuleType.ACCEPT);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address + " is not an IP address", e);
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether an address, written as an IP literal, is in one of the ranges; false for anything else. */
    public boolean contains(String address) {
        if (rules.isEmpty() || address == null) {
            return false;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            return false;
        }
        try {
            InetSocketAddress socket = new InetSocketAddress(InetAddress.getByAddress(bytes), 0);
            for (IpSubnetFilterRule rule : rules) {
                if (rule.matches(socket)) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return String.join(",", written);
    }
}
