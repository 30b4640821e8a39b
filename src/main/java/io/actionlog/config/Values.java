package io.actionlog.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads one raw string per dotted key and turns it into a typed value, or fails naming key and value. */
final class Values {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]%]{1,255}");
    private static final Pattern ORIGIN = Pattern.compile("[A-Za-z0-9._~/:\\-]{1,200}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.\\-]{1,100}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern ADMIN_KEY = Pattern.compile("[A-Za-z0-9._~\\-]{16,256}");

    private final Map<String, String> raw;

    Values(Map<String, String> raw) {
        this.raw = raw;
    }

    private String get(String key) {
        String value = raw.containsKey(key) ? raw.get(key) : Config.DEFAULTS.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String host(String key) {
        String v = get(key);
        if (v == null || !HOST.matcher(v).matches() || !plausibleHost(v)) {
            throw ConfigException.bad(key, v, "expected a host name or an IP address");
        }
        return v;
    }

    /**
     * Digits and dots are an IPv4 address, each part at most 255; a name has no empty label and none over 63
     * characters. Caught here, such a value would otherwise fail only when the port is bound, after the data
     * directory was opened, without naming the key.
     */
    private static boolean plausibleHost(String v) {
        if (v.indexOf(':') >= 0) {
            return true; // IPv6: the resolver at the bind has the last word
        }
        String[] labels = v.split("\\.", -1);
        if (v.matches("[0-9.]+")) {
            if (labels.length != 4) {
                return false;
            }
            for (String label : labels) {
                if (label.isEmpty() || label.length() > 3 || Integer.parseInt(label) > 255) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < labels.length; i++) {
            // A final dot (a fully qualified name) leaves one empty label at the end, which is allowed.
            if (labels[i].isEmpty() && !(i == labels.length - 1 && i > 0) || labels[i].length() > 63) {
                return false;
            }
        }
        return true;
    }

    int integer(String key, int min, int max) {
        return (int) wholeNumber(key, min, max);
    }

    long wholeNumber(String key, long min, long max) {
        String v = get(key);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw ConfigException.bad(key, v, "expected a whole number from " + min + " to " + max);
    }

    String oneOf(String key, String... allowed) {
        String v = get(key);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw ConfigException.bad(key, v, "expected one of " + String.join(", ", allowed));
    }

    /**
     * A checkpoint origin: a log name as C2SP tlog-checkpoint asks for (a URL without its scheme), which must not
     * hold a '+' or a space since it is also the signing key's name in signed notes.
     */
    String origin(String key) {
        String v = get(key);
        if (v == null || !ORIGIN.matcher(v).matches()) {
            throw ConfigException.bad(key, v, "expected a log name of letters, digits and . _ ~ - / : (up to 200)");
        }
        return v;
    }

    Path path(String key) {
        Path p = optionalPath(key);
        if (p == null) {
            throw ConfigException.bad(key, null, "expected a directory path");
        }
        return p;
    }

    Path optionalPath(String key) {
        String v = get(key);
        try {
            return v == null ? null : Path.of(v);
        } catch (InvalidPathException e) {
            throw ConfigException.bad(key, v, "not a valid path (" + e.getReason() + ")");
        }
    }

    /**
     * A comma-separated list of names (a JSON list in the file arrives as one): letters, digits, '_', '-' and
     * '.'; empty means none. Lower-cased, since the names are matched case-insensitively.
     */
    java.util.List<String> names(String key) {
        return lowerCaseList(key, NAME, "expected a comma-separated list of names (letters, digits, _ - .)");
    }

    /**
     * A comma-separated list of hosts as clients write them in a {@code Host} header (a name or address, and a
     * port unless it is the scheme's default); empty means none. Lower-cased, since host names ignore case.
     */
    java.util.List<String> hosts(String key) {
        String expected = "expected a comma-separated list of hosts (name or address, optional :port from 1 to 65535)";
        java.util.List<String> hosts = lowerCaseList(key, Config.HOST_HEADER, expected);
        for (String host : hosts) {
            int colon = host.lastIndexOf(':');
            if (colon > host.lastIndexOf(']')) {
                String port = host.substring(colon + 1);
                if (port.isEmpty() || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                    throw ConfigException.bad(key, get(key), expected);
                }
            }
        }
        return hosts;
    }

    private java.util.List<String> lowerCaseList(String key, Pattern item, String expected) {
        String v = get(key);
        if (v == null) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : v.split(",")) {
            String s = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (!item.matcher(s).matches()) {
                throw ConfigException.bad(key, v, expected);
            }
            out.add(s);
        }
        return java.util.List.copyOf(out);
    }

    /**
     * A file the server writes, or null when the key is not set: not a directory, and in a directory that exists.
     * A typo in the path must not make a new tree of directories somewhere (with a new signing key in it, outside
     * every backup), so the directory is never created.
     */
    Path fileToWrite(String key) {
        Path p = optionalPath(key);
        if (p == null) {
            return null;
        }
        if (java.nio.file.Files.isDirectory(p)) {
            throw ConfigException.bad(key, p.toString(), "is a directory; expected a file in one");
        }
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw ConfigException.bad(key, p.toString(), "its directory " + parent + " does not exist");
        }
        return p;
    }

    /** A PEM file the server must be able to read, holding a block of this kind, or null when the key is not set. */
    Path pemFile(String key, String kind) {
        Path p = readableFile(key);
        if (p != null) {
            try {
                if (!java.nio.file.Files.isRegularFile(p) || java.nio.file.Files.size(p) > 1 << 20) {
                    throw ConfigException.bad(key, p.toString(), "expected a PEM file (at most 1 MiB)");
                }
                String text = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!text.matches("(?s).*-----BEGIN [A-Z ]*" + kind + "-----.*")) {
                    throw ConfigException.bad(key, p.toString(), "holds no PEM " + kind + " block");
                }
            } catch (java.io.IOException e) {
                throw ConfigException.bad(key, p.toString(), "cannot be read (" + e.getMessage() + ")");
            }
        }
        return p;
    }

    /** A file the server must be able to read, or null when the key is not set. */
    Path readableFile(String key) {
        Path p = optionalPath(key);
        if (p != null && !java.nio.file.Files.isReadable(p)) {
            throw ConfigException.bad(key, p.toString(), "not found or not readable");
        }
        return p;
    }

    /** A comma-separated list of IP addresses and CIDR ranges; empty means none. */
    AddressRanges addressRanges(String key) {
        String v = get(key);
        try {
            return v == null ? AddressRanges.none() : AddressRanges.parse(java.util.List.of(v.split(",")));
        } catch (IllegalArgumentException e) {
            throw ConfigException.bad(key, v, e.getMessage());
        }
    }

    /** The trimmed text of a key, or null when it is not set. */
    String optionalText(String key) {
        return get(key);
    }

    /** A name as {@link #names} takes them, one. */
    String name(String key) {
        String v = get(key);
        if (v == null || !NAME.matcher(v).matches()) {
            throw ConfigException.bad(key, v, "expected a name of lower-case letters, digits, _ - . (up to 100)");
        }
        return v;
    }

    /** A Kafka topic name: as Kafka allows them (letters, digits, . _ -, up to 249). */
    String topic(String key) {
        String v = get(key);
        if (v == null || !TOPIC.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            throw ConfigException.bad(key, v, "expected a Kafka topic name (letters, digits, . _ -, up to 249)");
        }
        return v;
    }

    /** The preset key is a secret: a bad one is reported without echoing it. */
    String adminKey(String key) {
        String v = get(key);
        if (v != null && !ADMIN_KEY.matcher(v).matches()) {
            throw ConfigException.bad(key, "(hidden)", "expected 16 to 256 characters of A-Z a-z 0-9 . _ ~ -");
        }
        return v;
    }
}
