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

    static boolean v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !digits(p)
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
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

    private static boolean digits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean hex(String s) {
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
    }
}
