package io.actionlog.http;

/** Text we send must be valid Unicode: a JSON writer refuses half a surrogate pair, which would turn into a 500. */
final class Unicode {
    private Unicode() {
    }

    /** The text with every lone UTF-16 surrogate replaced by U+FFFD; the same instance when there is none. */
    static String scrub(String s) {
        if (s == null || io.actionlog.action.Fields.wellFormed(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }
}
