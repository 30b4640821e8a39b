package io.actionlog.action;

/**
 * Half a UTF-16 surrogate pair, which JSON's {@code \ud800} escape can smuggle into a string: no UTF-8 encoder or
 * JSON writer can put one out as it is. The one place that tells a pair from a lone half.
 */
public final class Surrogates {
    private Surrogates() {
    }

    /** Whether the char at {@code i} is a high surrogate and the next one a low surrogate: one code point. */
    public static boolean pairAt(CharSequence s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /**
     * The index of the first surrogate that is not half of a pair, or -1 when the text is well-formed. Every text
     * of every request passes here, nearly always without a surrogate: one comparison a char until one shows up.
     */
    public static int firstLone(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                if (!pairAt(s, i)) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** The text with every lone surrogate replaced by U+FFFD; the same instance (or null) when there is none. */
    public static String replaceLone(String s) {
        int lone = s == null ? -1 : firstLone(s);
        if (lone < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length()).append(s, 0, lone);
        for (int i = lone; i < s.length(); i++) {
            if (pairAt(s, i)) {
                sb.append(s, i, i + 2);
                i++;
            } else {
                char c = s.charAt(i);
                sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return sb.toString();
    }
}
