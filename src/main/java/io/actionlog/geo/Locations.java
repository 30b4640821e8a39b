package io.actionlog.geo;

import io.actionlog.action.IpAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Location of an IP address from an optional file of {@code CIDR,location} lines (configuration
 * {@code geo.ranges_file}); the most specific matching range wins, and "unknown" when none matches. The lookup
 * happens once, when the action is recorded, and the result is stored with it.
 */
public final class Locations implements Function<String, String> {
    public static final String UNKNOWN = "unknown";

    private record Range(byte[] network, int bits, String location) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i & 7);
                if ((address[i >>> 3] & mask) != (network[i >>> 3] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> ranges;

    private Locations(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static Locations none() {
        return new Locations(List.of());
    }

    public static Locations load(Path file) throws IOException {
        List<Range> ranges = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            ranges.add(parse(t, file, n));
        }
        ranges.sort((a, b) -> Integer.compare(b.bits(), a.bits()));
        return new Locations(List.copyOf(ranges));
    }

    private static Range parse(String line, Path file, int n) throws IOException {
        int comma = line.indexOf(',');
        int slash = line.indexOf('/');
        if (comma < 0 || slash < 0 || slash > comma) {
            throw new IOException(file + " line " + n + ": expected CIDR,location");
        }
        String ip = line.substring(0, slash);
        byte[] network = address(ip);
        int bits;
        try {
            bits = Integer.parseInt(line.substring(slash + 1, comma).strip());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (network == null || bits < 0 || bits > network.length * 8) {
            throw new IOException(file + " line " + n + ": bad CIDR '" + line.substring(0, comma) + "'");
        }
        return new Range(network, bits, line.substring(comma + 1).strip());
    }

    @Override
    public String apply(String ip) {
        byte[] address = address(ip);
        if (address != null) {
            for (Range r : ranges) {
                if (r.contains(address)) {
                    return r.location();
                }
            }
        }
        return UNKNOWN;
    }

    /** Only literals reach InetAddress, so this never asks a resolver. */
    private static byte[] address(String ip) {
        if (!IpAddresses.valid(ip)) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
