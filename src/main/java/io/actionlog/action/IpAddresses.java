package io.actionlog.action;

/**
 * Checks IP address literals without ever asking a resolver (InetAddress.getByName would look up anything that
 * is not a literal).
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static boolean valid(String s) {
        return s.indexOf(':') >= 0 ? v6(s) : v4(s);
    }

    /** Dotted quad, each part 0-255 without leading zeros; by hand, as it runs for every recorded action. */
    static boolean v4(String s) {
        int parts = 0;
        int i = 0;
        int n = s.length();
        while (parts < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int length = i - start;
            if (length == 0 || length > 3 || (length > 1 && s.charAt(start) == '0') || value > 255) {
                return false;
            }
            parts++;
            if (parts < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == n;
    }

    static boolean v6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String[] groups = s.split(":", -1);
        int needed = 8;
        int lastIndex = groups.length - 1;
        if (groups[lastIndex].indexOf('.') >= 0) {
            if (!v4(groups[lastIndex])) {
                return false;
            }
            needed = 7;
            lastIndex--;
        }
        int count = 0;
        for (int i = 0; i <= lastIndex; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                continue;
            }
            if (g.length() > 4 || !hex(g)) {
                return false;
            }
            count++;
        }
        if (gap < 0) {
            return count == needed && lastIndex + 1 == needed;
        }
        return count < needed && s.length() >= 2;
    }

    private static boolean hex(String s) {
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
    }
}
